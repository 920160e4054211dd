// The network as a diagram: the inputs, each hidden neuron as its picture over the plane, the outputs as their
// class's marker, and the links coloured and sized by their weights; beside it, the chosen hidden neuron large. A
// hover or a tap shows a node's bias or a link's weight; a click or Enter on a hidden neuron shows it large, and
// the arrow keys move from node to node. Paused, a click on a link or a node opens a field to type its weight or
// bias in (Enter sets it, as TensorFlow Playground lets one do). In slow motion (step.js) the stage's numbers take the weights' place, each
// node shows its number and its colour, and a caption above says what they are; otherwise paused, the probe (a
// point of the regions under the pointer) shows every node's value there, read from a grid the page run sent.

import { CodePicture, Surface, drawMarker, element, setText, takesKeys, textWidth } from "./drawing.js";
import {
  ARROWS,
  arrowStep,
  bytes,
  everyFitting,
  filled,
  fitsApart,
  fitting,
  floats,
  formatted,
  gridCell,
  halves,
  largestSize,
  markerOf,
  networkLayout,
  paletteLevel,
  segmentDistance,
} from "./helpers.js";
import { byColumn } from "./step.js";

const MIN_NUMBER_FONT = 7; // px: a node's number no smaller

export class Network {
  // ``textOf``: the surface whose text size the diagram takes; ``host``: what the View shares (see View); ``step``:
  // the step in slow motion (step.js)
  constructor(root, textOf, host, step) {
    this.host = host;
    this.step = step;
    this.row = element("div", "spl-row spl-network-row", root);
    const box = element("div", "spl-box spl-network", this.row);
    this.caption = element("div", "spl-network-caption", box);
    this.surface = new Surface(box, "spl-network-canvas", null, textOf);
    this.canvas = this.surface.canvas;
    this.canvas.setAttribute("role", "img");
    this.neuronBox = element("div", "spl-box spl-neuron", this.row);
    this.neuronTitle = element("p", "spl-neuron-title", this.neuronBox);
    this.neuron = new Surface(this.neuronBox, "spl-neuron-canvas", 1);
    this.neuronScale = element("p", "spl-neuron-scale", this.neuronBox);
    this.editor = this.makeEditor(box);
    this.editing = null; // the weight or bias the field sets: {layer, row (null for a bias), column}
    this.layout = null; // none while the network is not shown
    this.selected = null; // the keyboard's node, {column, row}, while the canvas has the keyboard's focus
    this.probeGrid = null; // paused: every shown node's value over a coarse grid of the plane, {size, values}
    this.probePoint = null; // the regions' point under the pointer or the keyboard's probe, [x1, x2], or null
    this.listen();
  }

  get surfaces() {
    return [this.surface, this.neuron];
  }

  configure(setup) {
    this.setup = setup;
    const network = setup.network;
    this.row.style.display = network ? "" : "none";
    this.layout = network ? networkLayout(network) : null;
    this.bigPicture = new CodePicture(network ? network.bigResolution : 1);
    // the neuron shown large: the page's choice, or the one a click chose since, until the page's next setup
    this.chosen = setup.chosen && { layer: setup.chosen[0], index: setup.chosen[1], name: network.chosenLabel };
    this.selected = null;
    this.canvas.setAttribute("aria-label", setup.labels.networkName);
  }

  // a frame's network: the links' weights, the biases, the neurons' pictures and the chosen one's whole map, and
  // paused, the probe's grid (a frame without one, while playing, ends the probe)
  take(network) {
    this.weights = floats(network.weights);
    this.biases = floats(network.biases);
    this.pictures = bytes(network.pictures);
    this.probeGrid = network.probe ? { size: network.probe.size, values: halves(network.probe.values) } : null;
    if (network.big) {
      this.bigPicture.paint(bytes(network.big.codes), this.setup.neuronPalette);
      this.big = network.big;
    }
  }

  draw() {
    if (!this.layout) return;
    this.drawCaption();
    this.drawDiagram();
    this.drawNeuron();
  }

  // the regions' point whose values the nodes show, or null: the probe ends the moment the pointer leaves.
  // Returns what the regions' tip says of it (how the values are read), or null where the nodes show none
  probeAt(point) {
    this.probePoint = point;
    if (!this.layout) return null;
    this.drawDiagram();
    return this.probed() && filled(this.setup.labels.probeNote, { size: this.probeGrid.size });
  }

  // the probe's values, per column, at its point's nearest grid point; null without a probe or off the grid, and
  // in slow motion, whose nodes show the stage's numbers for the point it follows
  probed() {
    const grid = this.probeGrid;
    if (!grid || !this.probePoint || this.setup.playing || this.step.on) return null;
    const cell = gridCell(this.setup.grid, grid.size, ...this.probePoint);
    if (!cell) return null;
    const shown = this.layout.columns.map((column) => column.length);
    const stride = shown.reduce((sum, count) => sum + count, 0);
    const first = (cell[1] * grid.size + cell[0]) * stride;
    return byColumn(grid.values.subarray(first, first + stride), shown);
  }

  // what the nodes show instead of their pictures: the probe's values, else the stage's, else nothing (null)
  nodeValues() {
    return this.probed() || this.step.nodes;
  }

  // above the diagram in slow motion: the stage in words (see Step.caption)
  drawCaption() {
    const text = this.step.caption(this.setup.labels).join("\n");
    setText(this.caption, text);
  }

  drawDiagram() {
    const surface = this.surface;
    const context = surface.start();
    // room for the inputs' names on the left and the classes' on the right, at least the old 70 and 50 px
    const widest = (nodes) => Math.max(0, ...nodes.map((node) => textWidth(context, node.name)));
    const columns = this.layout.columns;
    const nameRoom = 22 * surface.scale + 8; // the node's half width and a gap, at its largest
    const left = Math.max(70, widest(columns[0]) + nameRoom);
    const right = Math.max(50, widest(columns[columns.length - 1]) + nameRoom);
    const shapes = this.step.columnShapes();
    const positions = this.layout.place(surface.width, surface.height, left, right, surface.font, Boolean(shapes));
    this.positions = positions;
    this.canvas.boxes.nodes = positions; // each node's centre, column by column, for the tests
    this.linkLines = this.drawLinks(context, positions);
    this.drawNodes(context, positions);
    if (shapes) this.drawShapes(positions, shapes);
  }

  // each column's output shape for the batch above it, as the book's computational graph writes it
  drawShapes(positions, shapes) {
    this.surface.context.fillStyle = "#333";
    this.columnLabels(positions, [...shapes.entries()], () => positions.top / 2 + 2);
  }

  // ``labels``, [column, text] each, centred on their columns at ``y(column's positions)``; columns too close for
  // them all get every second (third, ...) one, the first included
  columnLabels(positions, labels, y) {
    const context = this.surface.context;
    context.textAlign = "center";
    context.textBaseline = "middle";
    const x = ([column]) => positions[column][0][0];
    const fits = fitsApart(x, ([, text]) => textWidth(context, text), this.surface.font / 2);
    for (const label of everyFitting(labels, fits)) this.surface.label(label[1], x(label), y(positions[label[0]]));
  }

  // a line per link, coloured by its weight's sign (in slow motion, by the stage's number: its gradient, its
  // change), as wide and opaque as its size against the largest one's; returns the lines, where a hover finds them
  drawLinks(context, positions) {
    const layout = this.layout;
    const weights = this.step.links || this.weights || new Float32Array(layout.links.length);
    const links = this.setup.network.links;
    const largest = largestSize(weights);
    const lines = [];
    layout.links.forEach(([from, to], index) => {
      const weight = weights[index];
      const share = largest > 0 && Number.isFinite(weight) ? Math.abs(weight) / largest : 0;
      const bin = Math.min(Math.floor(share * links.widths.length), links.widths.length - 1); // never thinner
      const [x0, y0] = positions[from.column][from.row];
      const [x1, y1] = positions[to.column][to.row];
      context.beginPath();
      context.moveTo(x0 + positions.side / 2, y0);
      context.lineTo(x1 - positions.side / 2, y1);
      context.strokeStyle = weight < 0 ? links.negative : links.positive;
      context.globalAlpha = links.opacities[bin];
      context.lineWidth = links.widths[bin];
      context.stroke();
      lines.push([x0 + positions.side / 2, y0, x1 - positions.side / 2, y1, index]);
    });
    context.globalAlpha = 1;
    return lines;
  }

  // the inputs as named squares, each hidden neuron as its map (the chosen one outlined), the outputs as their
  // class's marker in its colour, "+n more" below a layer with more neurons than are drawn, and the keyboard's
  // node ringed; where the probe or the stage gives the nodes values, each is its value's colour and number
  drawNodes(context, positions) {
    const layout = this.layout;
    const surface = this.surface;
    const side = positions.side;
    const colors = this.setup.classColors;
    const values = this.nodeValues();
    let picture = 0;
    context.textBaseline = "middle";
    layout.columns.forEach((column, columnIndex) => {
      const shown = values && values[columnIndex];
      const largest = shown ? largestSize(shown) : 0;
      column.forEach((node, row) => {
        const [x, y] = positions[columnIndex][row];
        if (node.kind === "hidden") picture += 1;
        if (shown) {
          this.drawValue(context, node, shown[row], largest, x, y, side);
          return;
        }
        if (node.kind === "input") {
          context.fillStyle = "#f2f2f2";
          context.strokeStyle = "#888";
          context.fillRect(x - side * 0.35, y - side * 0.35, side * 0.7, side * 0.7);
          context.strokeRect(x - side * 0.35, y - side * 0.35, side * 0.7, side * 0.7);
          context.fillStyle = "#333";
          context.textAlign = "right";
          surface.label(node.name, x - side * 0.45, y);
        } else if (node.kind === "output") {
          drawMarker(context, markerOf(node.index), x, y, side * 0.3, colors[node.index % colors.length], false, side / 20);
          context.fillStyle = "#333";
          context.textAlign = "left";
          surface.label(node.name, x + side * 0.45, y);
        } else {
          if (this.pictures) this.drawPicture(context, picture - 1, x, y, side);
          const chosen = this.chosen && this.chosen.layer === node.layer && this.chosen.index === node.index;
          context.lineWidth = chosen ? 2.5 : 1;
          context.strokeStyle = chosen ? "#222" : "#999";
          context.strokeRect(x - side / 2, y - side / 2, side, side);
        }
      });
    });
    context.fillStyle = "#666";
    this.columnLabels(positions, layout.more, (column) => column[column.length - 1][1] + side / 2 + surface.font * 0.7);
    if (this.selected) {
      const [x, y] = positions[this.selected.column][this.selected.row];
      context.lineWidth = 2 * surface.scale;
      context.strokeStyle = "#1a73e8";
      context.strokeRect(x - side / 2 - 4, y - side / 2 - 4, side + 8, side + 8);
    }
  }

  // a node as its value: a square in the value's colour (against the largest size in its column), the number in
  // it, an input's and an output's name beside it as usual, and an output's class marker in its corner (room
  // allowing)
  drawValue(context, node, value, largest, x, y, side) {
    const surface = this.surface;
    const palette = this.setup.neuronPalette;
    const level = paletteLevel(value, largest, palette.length);
    context.fillStyle = `rgb(${palette[level].join(",")})`;
    context.fillRect(x - side / 2, y - side / 2, side, side);
    context.lineWidth = 1;
    context.strokeStyle = "#777";
    context.strokeRect(x - side / 2, y - side / 2, side, side);
    const text = this.nodeNumber(value, side);
    const dark = Math.abs(level - (palette.length - 1) / 2) > palette.length * 0.3;
    context.fillStyle = dark ? "white" : "#111";
    context.textAlign = "center";
    if (text !== null) surface.label(text, x, y); // too small a node: its colour alone, its tip the number
    context.font = `${surface.font}px sans-serif`;
    if (node.kind === "output" && side >= 30) {
      const colors = this.setup.classColors;
      const corner = side / 2 - 5;
      drawMarker(context, markerOf(node.index), x + corner, y - corner, 3.5, colors[node.index % colors.length], false, 0.8);
    }
    context.fillStyle = "#333";
    if (node.kind === "input") {
      context.textAlign = "right";
      surface.label(node.name, x - side * 0.6, y);
    } else if (node.kind === "output") {
      context.textAlign = "left";
      surface.label(node.name, x + side * 0.6, y);
    }
  }

  // a node's number as it fits the node, in the context's font then: the diagram's text size, smaller as it must
  // be down to MIN_NUMBER_FONT px, fewer digits (see fitting); null if it never fits (the node's colour says it)
  nodeNumber(value, side) {
    const context = this.surface.context;
    for (let font = Math.min(this.surface.font, Math.round(side * 0.42)); font >= MIN_NUMBER_FONT; font--) {
      context.font = `${font}px sans-serif`;
      const text = fitting(value, side - 2, (candidate) => textWidth(context, candidate));
      if (text !== null) return text;
    }
    return null;
  }

  // the ``index``-th hidden neuron's picture at its node, painted on one offscreen picture of the pictures' size
  drawPicture(context, index, x, y, side) {
    const size = this.layout.pictureSize;
    if (!this.scratch || this.scratch.image.width !== size) this.scratch = new CodePicture(size);
    this.scratch.paint(this.pictures, this.setup.neuronPalette, index * size * size);
    context.imageSmoothingEnabled = false;
    context.drawImage(this.scratch.canvas, x - side / 2, y - side / 2, side, side);
  }

  drawNeuron() {
    const chosen = this.chosen;
    this.neuronBox.style.display = chosen ? "" : "none";
    if (!chosen || !this.big) return;
    setText(this.neuronTitle, chosen.name);
    const context = this.neuron.fit();
    context.clearRect(0, 0, this.neuron.width, this.neuron.height);
    context.imageSmoothingEnabled = true;
    context.drawImage(this.bigPicture.canvas, 0, 0, this.neuron.width, this.neuron.height);
    setText(
      this.neuronScale,
      this.setup.labels.neuronScale.replace("{low}", formatted(this.big.low)).replace("{high}", formatted(this.big.high)),
    );
  }

  // --- the pointer and the keys: a node's or a link's tip, a hidden neuron chosen ------------------------------

  listen() {
    const canvas = this.canvas;
    canvas.addEventListener("pointerdown", (event) => this.hover(event)); // a tap's tip
    canvas.addEventListener("pointermove", (event) => this.hover(event));
    this.host.tip.hiddenOnLeaving(canvas);
    canvas.addEventListener("click", (event) => {
      this.choose(this.nodeAt(event.offsetX, event.offsetY));
      this.clicked(this.editTarget(event.offsetX, event.offsetY, event.pointerType === "touch"), event);
    });
    takesKeys(canvas, {
      focused: () => this.moveSelection(0, 0),
      blurred: () => {
        this.selected = null;
        this.host.tip.hide();
        this.host.draw();
      },
      pressed: (event) => {
        if (event.key === "Enter") this.enter();
        else if (ARROWS.has(event.key)) this.moveSelection(...arrowStep(event.key).map((step) => step * (event.shiftKey ? 3 : 1)));
        else return false;
        return true;
      },
    });
  }

  // Enter on the keyboard's node: a hidden neuron shown large, and paused, the field for its bias
  enter() {
    if (!this.selected) return;
    const { column, row } = this.selected;
    const node = this.layout.columns[column][row];
    this.choose(node);
    const [x, y] = this.positions[column][row];
    this.openEditor(this.nodeTarget(node), x, y);
    if (this.editing) this.editing.returnTo = { column, row }; // Enter or Escape in the field comes back here
  }

  // a hidden neuron shown large, as a click or Enter on it asks
  choose(node) {
    if (!node || node.kind !== "hidden") return;
    this.chosen = { layer: node.layer, index: node.index, name: node.name };
    this.host.draw();
    this.host.trigger("neuron", [node.layer, node.index]);
  }

  // the chosen node moved by columns across and rows down (each column's rows from its top)
  moveSelection(across, down) {
    if (!this.layout) return;
    const columns = this.layout.columns;
    const { column, row } = this.selected || { column: 0, row: 0 };
    const next = Math.min(Math.max(column + across, 0), columns.length - 1);
    const nextRow = Math.min(Math.max((across ? Math.min(row, columns[next].length - 1) : row) - down, 0), columns[next].length - 1);
    this.selected = { column: next, row: nextRow };
    this.host.draw();
    const [x, y] = this.positions[next][nextRow];
    this.host.tip.showByKeys(this.canvas, x, y, this.nodeLines(columns[next][nextRow], true));
  }

  nodeAt(x, y) {
    if (!this.positions) return null;
    const side = this.positions.side;
    const columns = this.layout.columns;
    for (let column = 0; column < columns.length; column++) {
      for (let row = 0; row < columns[column].length; row++) {
        const [nx, ny] = this.positions[column][row];
        if (Math.abs(x - nx) <= side / 2 && Math.abs(y - ny) <= side / 2) return columns[column][row];
      }
    }
    return null;
  }

  // a node's tip: its name, its bias, in slow motion the stage's numbers, and for a hidden one that a click shows
  // it large; ``links`` adds the weights coming into it, which the keyboard reaches no other way
  nodeLines(node, links = false) {
    const labels = this.setup.labels;
    const lines = [node.name];
    if (node.bias !== undefined && this.biases) lines.push(labels.bias.replace("{value}", formatted(this.biases[node.bias], 4)));
    const column = this.layout.columns.findIndex((nodes) => nodes.includes(node));
    lines.push(...this.step.nodeLines(node, column, this.layout.columns[column].indexOf(node), labels));
    if (node.kind === "hidden") lines.push(labels.chooseNeuron);
    if (!links || !this.weights) return lines;
    this.layout.links.forEach(([from, to], index) => {
      if (this.layout.columns[to.column][to.row] === node) lines.push(this.linkLine(from, to, index));
    });
    return lines;
  }

  linkLine(from, to, index) {
    const columns = this.layout.columns;
    const weight = this.setup.labels.weight.replace("{value}", formatted(this.weights[index], 4));
    return `${weight} · ${columns[from.column][from.row].name} → ${columns[to.column][to.row].name}`;
  }

  // the node under the pointer, else the link nearest it (a finger reaches further)
  hover(event) {
    const tip = this.host.tip;
    const node = this.nodeAt(event.offsetX, event.offsetY);
    if (node) return tip.showAt(event, [...this.nodeLines(node), ...this.editHint(node.kind !== "input")]);
    const index = this.linkAt(event.offsetX, event.offsetY, event.pointerType === "touch");
    if (index === null || !this.weights) return tip.hide();
    const [from, to] = this.layout.links[index];
    const lines = [this.linkLine(from, to, index), ...this.step.linkLines(index, this.setup.labels)];
    tip.showAt(event, [...lines, ...this.editHint(true)]);
  }

  // the link nearest (x, y), within a pointer's reach (a finger's is wider), as its index; or null
  linkAt(x, y, touch = false) {
    let best = null;
    const reach = touch ? 12 : 4;
    for (const [x0, y0, x1, y1, index] of this.linkLines || []) {
      const distance = segmentDistance(x, y, x0, y0, x1, y1);
      if (distance < reach && (!best || distance < best[0])) best = [distance, index];
    }
    return best && best[1];
  }

  // --- a weight or a bias typed in, paused ------------------------------------------------------------------

  editable() {
    return Boolean(this.setup && this.setup.network.editable && !this.setup.playing && !this.step.on && this.weights);
  }

  editHint(settable) {
    return settable && this.editable() ? [this.setup.labels.editHint] : [];
  }

  // the field, its name above it: Enter sets the value, Escape or leaving the field does not
  makeEditor(box) {
    const form = element("label", "spl-edit", box);
    form.hidden = true;
    const name = element("span", "spl-edit-name", form);
    const input = element("input", null, form);
    input.type = "text";
    input.inputMode = "decimal";
    input.autocomplete = "off";
    input.addEventListener("keydown", (event) => {
      event.stopPropagation(); // typing: neither the page's shortcuts nor Streamlit's own keys
      if (event.key === "Enter") this.setEdited();
      else if (event.key === "Escape") this.closeEditor(true);
    });
    input.addEventListener("blur", () => this.closeEditor());
    return { form, name, input };
  }

  // what a click at (x, y) may set, paused: a node's bias (an input has none), else the nearest link's weight, as
  // {layer: its Affine layer, row: W's row or null for the bias, column, value, name}; or null
  editTarget(x, y, touch) {
    const node = this.nodeAt(x, y);
    return node ? this.nodeTarget(node) : this.linkTarget(this.linkAt(x, y, touch));
  }

  nodeTarget(node) {
    if (!this.editable() || node.kind === "input") return null;
    const column = this.layout.columns.findIndex((nodes) => nodes.includes(node));
    const name = filled(this.setup.labels.editBias, { name: node.name });
    return { layer: column - 1, row: null, column: node.index, value: this.biases[node.bias], name };
  }

  linkTarget(index) {
    if (!this.editable() || index === null) return null;
    const labels = this.setup.labels;
    const columns = this.layout.columns;
    const [from, to] = this.layout.links[index];
    const [source, target] = [columns[from.column][from.row], columns[to.column][to.row]];
    const row = source.kind === "input" ? from.row : source.index;
    const name = filled(labels.editWeight, { from: source.name, to: target.name });
    return { layer: from.column, row, column: target.index, value: this.weights[index], name };
  }

  // a click opens the field at once; a finger's first tap shows the tip (as on the regions), a second tap on the
  // same link or node opens the field, and with it the phone's keyboard
  clicked(target, event) {
    const key = target && `${target.layer} ${target.row} ${target.column}`;
    const touch = event.pointerType === "touch";
    if (!touch || (key && key === this.tapped)) this.openEditor(target, event.offsetX, event.offsetY);
    this.tapped = touch && key !== this.tapped ? key : null;
  }

  openEditor(target, x, y) {
    if (!target) return;
    const { form, name, input } = this.editor;
    this.editing = target;
    name.textContent = target.name;
    input.setAttribute("aria-label", target.name);
    input.removeAttribute("aria-invalid");
    input.value = String(Number(target.value.toPrecision(4)));
    form.hidden = false;
    form.style.left = `${Math.max(0, Math.min(x, this.canvas.clientWidth - form.offsetWidth))}px`;
    form.style.top = `${y + 12}px`;
    input.focus();
    input.select();
  }

  setEdited() {
    const text = this.editor.input.value.trim().replace(/\u2212/g, "-").replace(",", ".");
    const value = Number(text);
    if (!text || !Number.isFinite(value)) {
      this.editor.input.setAttribute("aria-invalid", "true");
      return;
    }
    const { layer, row, column } = this.editing;
    this.closeEditor(true);
    this.host.trigger("edit", { layer, row, column, value });
  }

  // ``back``: the keyboard closed it, and goes back to the node it came from (a click's field goes nowhere)
  closeEditor(back = false) {
    const returnTo = this.editing && this.editing.returnTo;
    this.editor.form.hidden = true;
    this.editing = null;
    if (!back || !returnTo) return;
    this.canvas.focus();
    this.selected = returnTo;
    this.host.draw();
  }
}

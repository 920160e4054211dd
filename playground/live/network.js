// The network as a diagram: the inputs, each hidden neuron as its picture over the plane, the outputs as their
// class's marker, and the links coloured and sized by their weights; beside it, the chosen hidden neuron large. A
// hover or a tap shows a node's bias or a link's weight; a click or Enter on a hidden neuron shows it large, and
// the arrow keys move from node to node.

import { CodePicture, Surface, drawMarker, element, takesKeys, textWidth } from "./drawing.js";
import { ARROWS, arrowStep, bytes, floats, formatted, markerOf, networkLayout, segmentDistance } from "./helpers.js";

export class Network {
  // ``textOf``: the surface whose text size the diagram takes; ``host``: what the View shares (see View)
  constructor(root, textOf, host) {
    this.host = host;
    this.row = element("div", "spl-row spl-network-row", root);
    const box = element("div", "spl-box spl-network", this.row);
    this.surface = new Surface(box, "spl-network-canvas", null, textOf);
    this.canvas = this.surface.canvas;
    this.canvas.setAttribute("role", "img");
    this.neuronBox = element("div", "spl-box spl-neuron", this.row);
    this.neuronTitle = element("p", "spl-neuron-title", this.neuronBox);
    this.neuron = new Surface(this.neuronBox, "spl-neuron-canvas", 1);
    this.neuronScale = element("p", "spl-neuron-scale", this.neuronBox);
    this.layout = null; // none while the network is not shown
    this.selected = null; // the keyboard's node, {column, row}, while the canvas has the keyboard's focus
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

  // a frame's network: the links' weights, the biases, the neurons' pictures and the chosen one's whole map
  take(network) {
    this.weights = floats(network.weights);
    this.biases = floats(network.biases);
    this.pictures = bytes(network.pictures);
    if (network.big) {
      this.bigPicture.paint(bytes(network.big.codes), this.setup.neuronPalette);
      this.big = network.big;
    }
  }

  draw() {
    if (!this.layout) return;
    this.drawDiagram();
    this.drawNeuron();
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
    const positions = this.layout.place(surface.width, surface.height, left, right, surface.font);
    this.positions = positions;
    this.linkLines = this.drawLinks(context, positions);
    this.drawNodes(context, positions);
  }

  // a line per link, coloured by its weight's sign, as wide and opaque as its size against the largest weight's;
  // returns the lines, where a hover finds them
  drawLinks(context, positions) {
    const layout = this.layout;
    const weights = this.weights || new Float32Array(layout.links.length);
    const links = this.setup.network.links;
    let largest = 0;
    for (const weight of weights) if (Number.isFinite(weight)) largest = Math.max(largest, Math.abs(weight));
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
  // node ringed
  drawNodes(context, positions) {
    const layout = this.layout;
    const surface = this.surface;
    const side = positions.side;
    const colors = this.setup.classColors;
    let picture = 0;
    context.textBaseline = "middle";
    layout.columns.forEach((column, columnIndex) => {
      column.forEach((node, row) => {
        const [x, y] = positions[columnIndex][row];
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
          if (this.pictures) this.drawPicture(context, picture, x, y, side);
          picture += 1;
          const chosen = this.chosen && this.chosen.layer === node.layer && this.chosen.index === node.index;
          context.lineWidth = chosen ? 2.5 : 1;
          context.strokeStyle = chosen ? "#222" : "#999";
          context.strokeRect(x - side / 2, y - side / 2, side, side);
        }
      });
    });
    context.fillStyle = "#666";
    context.textAlign = "center";
    layout.more.forEach(([columnIndex, text]) => {
      const column = positions[columnIndex];
      const [x, y] = column[column.length - 1];
      surface.label(text, x, y + side / 2 + surface.font * 0.7);
    });
    if (this.selected) {
      const [x, y] = positions[this.selected.column][this.selected.row];
      context.lineWidth = 2 * surface.scale;
      context.strokeStyle = "#1a73e8";
      context.strokeRect(x - side / 2 - 4, y - side / 2 - 4, side + 8, side + 8);
    }
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
    this.neuronTitle.textContent = chosen.name;
    const context = this.neuron.fit();
    context.clearRect(0, 0, this.neuron.width, this.neuron.height);
    context.imageSmoothingEnabled = true;
    context.drawImage(this.bigPicture.canvas, 0, 0, this.neuron.width, this.neuron.height);
    this.neuronScale.textContent = this.setup.labels.neuronScale
      .replace("{low}", formatted(this.big.low))
      .replace("{high}", formatted(this.big.high));
  }

  // --- the pointer and the keys: a node's or a link's tip, a hidden neuron chosen ------------------------------

  listen() {
    const canvas = this.canvas;
    canvas.addEventListener("pointerdown", (event) => this.hover(event)); // a tap's tip
    canvas.addEventListener("pointermove", (event) => this.hover(event));
    this.host.tip.hiddenOnLeaving(canvas);
    canvas.addEventListener("click", (event) => this.choose(this.nodeAt(event.offsetX, event.offsetY)));
    takesKeys(canvas, {
      focused: () => this.moveSelection(0, 0),
      blurred: () => {
        this.selected = null;
        this.host.tip.hide();
        this.host.draw();
      },
      pressed: (event) => {
        if (event.key === "Enter") this.choose(this.selected && this.layout.columns[this.selected.column][this.selected.row]);
        else if (ARROWS.has(event.key)) this.moveSelection(...arrowStep(event.key).map((step) => step * (event.shiftKey ? 3 : 1)));
        else return false;
        return true;
      },
    });
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
    this.host.tip.show(this.canvas, x, y, this.nodeLines(columns[next][nextRow], true));
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

  // a node's tip: its name, its bias, and for a hidden one that a click shows it large; ``links`` adds the
  // weights coming into it, which the keyboard reaches no other way
  nodeLines(node, links = false) {
    const labels = this.setup.labels;
    const lines = [node.name];
    if (node.bias !== undefined && this.biases) lines.push(labels.bias.replace("{value}", formatted(this.biases[node.bias], 4)));
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
    const [x, y] = [event.offsetX, event.offsetY];
    const node = this.nodeAt(x, y);
    if (node) return tip.showAt(event, this.nodeLines(node));
    let best = null;
    const reach = event.pointerType === "touch" ? 12 : 4; // a finger is wider than a pointer
    for (const [x0, y0, x1, y1, index] of this.linkLines || []) {
      const distance = segmentDistance(x, y, x0, y0, x1, y1);
      if (distance < reach && (!best || distance < best[0])) best = [distance, index];
    }
    if (!best || !this.weights) return tip.hide();
    const [from, to] = this.layout.links[best[1]];
    tip.showAt(event, [this.linkLine(from, to, best[1])]);
  }
}

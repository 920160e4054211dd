// One training step in slow motion, as the view draws it (playground/session/step_stages.py computes it, and
// playground/live/frames.py sends the stage on show with every frame while it lasts): which points are the batch
// and which one the stages follow, and per stage what the diagram's nodes and links show in place of the weights,
// what their tips add, and the update's regions before the step. Nothing is computed here but where each number
// sent goes; the regions and the network ask this class what to draw.

import { bytes, filled, floats, formatted } from "./helpers.js";

export const MORPH_MS = 600; // the update's regions go from before the step to after in this long, then stay
const CAPTIONS = { batch: "slowBatch", forward: "slowForward", backward: "slowBackward", update: "slowUpdate" };
const NODE_LABELS = { forward: "stageValue", backward: "stageDout" };

// the flat per-node values sent for the columns ``first`` to the last, as one array per column of the diagram
// (``shown``: its neurons per column); columns before ``first`` have none (null)
export function byColumn(values, shown, first = 0) {
  const columns = shown.map(() => null);
  let offset = 0;
  for (let column = first; column < shown.length; column++) {
    columns[column] = values.subarray(offset, offset + shown[column]);
    offset += shown[column];
  }
  return columns;
}

// how far the morph from before to after has gone ``elapsed`` ms after it began: 0 to 1, eased at both ends
export function morphShare(elapsed) {
  const share = Math.min(Math.max(elapsed / MORPH_MS, 0), 1);
  return share * share * (3 - 2 * share);
}

// each column's output for the whole batch, as the book's computational graph writes its shape: "30×10"
export function shapes(size, sizes) {
  return sizes.map((width) => `${size}×${width}`);
}

// the sent stage with its arrays decoded
function decoded(slow) {
  const update = slow.update && {
    ...slow.update,
    tips: Object.fromEntries(Object.entries(slow.update.tips).map(([name, values]) => [name, floats(values)])),
  };
  return {
    ...slow,
    rows: new Int32Array(bytes(slow.batch).buffer),
    nodes: slow.nodes && byColumn(floats(slow.nodes.values), slow.shown, slow.nodes.first),
    links: slow.links && floats(slow.links),
    biases: slow.biases && floats(slow.biases),
    update,
    regionsBefore: slow.regionsBefore && bytes(slow.regionsBefore),
  };
}

export class Step {
  constructor() {
    this.slow = null; // the stage on show, its arrays decoded; null outside slow motion
    this.positions = new Map(); // a training point's row -> its position in the batch
    this.morphStarted = null; // when the update's regions began to morph (performance.now())
  }

  // a frame's stage in slow motion, or undefined outside it; an update newly on show starts the regions' morph
  take(slow, now) {
    const previous = this.slow;
    this.slow = slow ? decoded(slow) : null;
    this.positions = new Map(this.slow ? Array.from(this.slow.rows, (row, position) => [row, position]) : []);
    const arrived = slow && (!previous || previous.stage !== slow.stage || previous.step !== slow.step);
    if (arrived) this.morphStarted = slow.regionsBefore ? now : null;
  }

  get on() {
    return this.slow !== null;
  }

  // the position in the batch of the training point ``row``, or undefined: a point outside the batch
  position(row) {
    return this.positions.get(row);
  }

  // the chosen point's row of the training points, or null
  get chosenRow() {
    return this.slow ? this.slow.pointRow : null;
  }

  // what the links show in place of the weights (the backward stage: dW; the update: the change), or null
  get links() {
    return this.slow?.links ?? null;
  }

  // per column, what the nodes show (forward: each one's value for the chosen point; backward: its dout), or null
  get nodes() {
    return this.slow?.nodes ?? null;
  }

  // the update's regions before the step and how far the morph to after has gone at ``now``, or null once done
  morph(now) {
    if (!this.slow || !this.slow.regionsBefore || this.morphStarted === null) return null;
    const share = morphShare(now - this.morphStarted);
    return share < 1 ? { codes: this.slow.regionsBefore, share } : null;
  }

  // each column's shape for the batch, in the stages that pass the batch through the layers; else null
  columnShapes() {
    const slow = this.slow;
    return slow && (slow.stage === "forward" || slow.stage === "backward") ? shapes(slow.size, slow.sizes) : null;
  }

  // the caption above the diagram: the stage in words, and where the diagram draws a large network's first neurons
  caption(labels) {
    const slow = this.slow;
    if (!slow) return [];
    const lines = [filled(labels[CAPTIONS[slow.stage]], { step: slow.step.toLocaleString(), size: slow.size })];
    if (slow.thinned) lines.push(filled(labels.slowThinned, { shown: slow.shown.join(" · "), sizes: slow.sizes.join(" · ") }));
    return lines;
  }

  // what a link's tip adds: its gradient dW (backward), or its weight before and after, dW, the rate and the
  // optimizer's state (the update)
  linkLines(index, labels) {
    const slow = this.slow;
    const number = (value) => formatted(value, 4);
    if (slow && slow.stage === "backward") return [filled(labels.stageGradient, { name: "dW", value: number(slow.links[index]) })];
    if (!slow || !slow.update) return [];
    const { tips, optimizer, lr, state } = slow.update;
    return [
      filled(labels.stageChange, { name: "W", before: number(tips.W_before[index]), after: number(tips.W_after[index]) }),
      filled(labels.stageGradient, { name: "dW", value: number(tips.dW[index]) }),
      filled(labels.stageRate, { optimizer, lr: number(lr) }),
      ...state.map((name) => filled(labels.stageState, { name, value: number(tips[`W_${name}`][index]) })),
    ];
  }

  // what a node's tip adds: its value or its dout for the chosen point, its bias's gradient db (backward) or its
  // bias before and after (the update); ``column`` and ``row``: where the node is in the diagram
  nodeLines(node, column, row, labels) {
    const slow = this.slow;
    if (!slow) return [];
    const number = (value) => formatted(value, 4);
    const values = slow.nodes && slow.nodes[column];
    const lines = values ? [filled(labels[NODE_LABELS[slow.stage]], { value: number(values[row]) })] : [];
    if (node.bias === undefined) return lines;
    if (slow.stage === "backward") lines.push(filled(labels.stageGradient, { name: "db", value: number(slow.biases[node.bias]) }));
    if (slow.update) {
      const tips = slow.update.tips;
      lines.push(filled(labels.stageChange, { name: "b", before: number(tips.b_before[node.bias]), after: number(tips.b_after[node.bias]) }));
    }
    return lines;
  }
}

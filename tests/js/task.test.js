// The task card (playground/live/task.js), run by `node --test` (tests/test_live_js.py): what a frame's card part
// leaves of the card, and the card drawn from it, on a small stand-in for the page's document that keeps only what
// the card sets (its texts as text, never HTML).

import assert from "node:assert/strict";
import { test } from "node:test";

import { TaskCard, merged } from "../../playground/live/task.js";

class Node {
  constructor(tag) {
    this.tag = tag;
    this.children = [];
    this.dataset = {};
    this.attributes = {};
    this.hidden = false;
    this.open = false;
    this.className = "";
    this.ownText = "";
    const classes = new Set();
    this.classList = {
      toggle: (name, on) => (on ? classes.add(name) : classes.delete(name)),
      contains: (name) => classes.has(name) || this.className.split(" ").includes(name),
    };
  }
  appendChild(child) {
    this.children.push(child);
    return child;
  }
  replaceChildren(...children) {
    this.children = children;
  }
  setAttribute(name, value) {
    this.attributes[name] = value;
  }
  set textContent(text) {
    this.ownText = text;
    this.children = [];
  }
  get textContent() {
    return this.ownText + this.children.map((child) => child.textContent).join("");
  }
  set innerHTML(html) {
    throw new Error(`HTML set: ${html}`);
  }
  find(className) {
    if (this.className.split(" ").includes(className)) return this;
    for (const child of this.children) {
      const found = child.find(className);
      if (found) return found;
    }
    return null;
  }
  findTag(tag) {
    return this.tag === tag ? this : this.children.map((child) => child.findTag(tag)).find(Boolean) || null;
  }
}
globalThis.document = { createElement: (tag) => new Node(tag) };

const CARD = {
  title: "Task",
  text: "<b>Reach</b> **90%**",
  answer: "Eight neurons",
  answerLabel: "Show the answer",
  marks: ["not met yet:", "met:"],
  goals: [["test accuracy at least 90.0%", false, "test accuracy 61.7% of 90.0%"]],
  met: null,
};

test("a version's first frame replaces the card, or removes it; the others change only what they send", () => {
  const card = merged(null, CARD, true);
  assert.equal(card, CARD);
  const goals = [["test accuracy at least 90.0%", true, ""]];
  const met = merged(card, { goals, met: "Met at epoch 212" }, false);
  assert.deepEqual(met, { ...CARD, goals, met: "Met at epoch 212" });
  assert.equal(merged(met, undefined, false), met); // nothing changed: nothing sent
  assert.equal(merged(met, undefined, true), null); // a page run of a tab without a task
  assert.equal(merged(null, { met: "x" }, false), null); // a part of a card never had
});

test("the card shows its texts as text, each goal's mark and what is missing, and the epoch it was met at", () => {
  const parent = new Node("div");
  const task = new TaskCard(parent);
  assert.equal(parent.children[0], task.root);
  assert.ok(task.root.classList.contains("task_card") && task.root.hidden); // no task yet: nothing shown
  task.take(CARD, true);
  task.draw();
  assert.equal(task.root.hidden, false);
  assert.equal(task.root.find("spl-task-text").textContent, "<b>Reach</b> **90%**");
  const [item] = task.root.find("spl-task-goals").children;
  assert.equal(item.dataset.met, "false");
  assert.equal(item.textContent, "✗not met yet: test accuracy at least 90.0% — test accuracy 61.7% of 90.0%");
  assert.equal(task.root.find("spl-task-met").textContent, "");
  assert.equal(task.root.find("spl-task-met").attributes.role, "status");
  const details = task.root.findTag("details");
  assert.equal(details.textContent, "Show the answerEight neurons");
  details.open = true; // the student asked for the answer
  task.take({ goals: [["test accuracy at least 90.0%", true, ""]], met: "Met at epoch 212" }, false);
  task.draw();
  assert.equal(task.root.find("spl-task-goals").children[0].textContent, "✓met: test accuracy at least 90.0%");
  assert.equal(task.root.find("spl-task-met").textContent, "Met at epoch 212");
  assert.ok(task.root.classList.contains("spl-task-done"));
  assert.equal(task.root.findTag("details"), details);
  assert.ok(details.open); // drawing again did not close it
  task.take(undefined, true); // the task is gone
  task.draw();
  assert.ok(task.root.hidden);
});

test("a card without an answer offers none", () => {
  const task = new TaskCard(new Node("div"));
  task.take({ ...CARD, answer: "" }, true);
  task.draw();
  assert.ok(task.root.findTag("details").hidden);
});

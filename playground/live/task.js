// The task card at the top of the live view (issue 25): a teacher's or a lesson's task, each goal with a check mark
// or what is still missing, the epoch the run met it at, and the answer on request. The server checks the goals
// (playground/tasks.py) and sends the card in the page's language (playground/live/feed.py): whole with a version's
// first frame, then only what changed. Every text is set as text, never as HTML: a teacher's task is user text.
// Its styles are its own (STYLE); presenter mode keeps it in view by its class, task_card.

import { element, setText } from "./drawing.js";

const STYLE = `
.spl-task { margin: 0 0 0.5rem 0; padding: 0.5rem 0.75rem; border: 1px solid #c9d3e0; border-left: 4px solid #1a73e8;
  border-radius: 4px; background: #f7f9fc; color: #1f2328; }
.spl-task[hidden] { display: none; }
.spl-task.spl-task-done { border-left-color: #1e7e34; }
.spl-task p { margin: 0 0 0.25rem 0; }
.spl-task-title { font-weight: 600; }
.spl-task-text { white-space: pre-line; overflow-wrap: anywhere; }
.spl-task-goals { margin: 0.25rem 0; padding: 0; list-style: none; }
.spl-task-mark { display: inline-block; width: 1.3em; font-weight: bold; color: #b3261e; }
.spl-task-goals [data-met="true"] .spl-task-mark { color: #1e7e34; }
.spl-task-missing { color: #555; }
.spl-task-met { font-weight: bold; color: #1e7e34; }
.spl-task-met:empty { display: none; }
.spl-task-answer summary { cursor: pointer; width: fit-content; }
.spl-task-answer p { margin: 0.25rem 0 0 0; white-space: pre-line; overflow-wrap: anywhere; }
.spl-task-said { position: absolute; width: 1px; height: 1px; margin: -1px; overflow: hidden; clip-path: inset(50%);
  white-space: nowrap; }
`;
const MARKS = ["✗", "✓"];

// the card as a frame leaves it: a version's first frame (``whole``) replaces it, null where the tab has no task;
// another frame changes the parts it sends, if any
export function merged(card, sent, whole) {
  if (whole) return sent || null;
  return card && sent ? { ...card, ...sent } : card;
}

export class TaskCard {
  constructor(parent) {
    this.root = element("section", "spl-task task_card", parent);
    this.root.dataset.testid = "task-card";
    this.root.hidden = true;
    element("style", null, this.root).textContent = STYLE;
    this.title = element("p", "spl-task-title", this.root);
    this.text = element("p", "spl-task-text", this.root);
    this.goals = element("ul", "spl-task-goals", this.root);
    this.met = element("p", "spl-task-met", this.root);
    this.met.setAttribute("role", "status"); // said by a screen reader the moment the run meets the task
    this.details = element("details", "spl-task-answer", this.root);
    this.summary = element("summary", null, this.details);
    this.answer = element("p", null, this.details);
    this.card = null; // as the frames taken say it
    this.drawn = null; // as drawn
  }

  take(sent, whole) {
    this.card = merged(this.card, sent, whole);
  }

  // only what changed since the last drawing: an open answer stays open
  draw() {
    const card = this.card;
    const drawn = this.drawn || {};
    this.drawn = card;
    // set only when it changes: a :has() rule of presenter.css names it, and setting it, even to the same value,
    // has Chromium recalculate the whole page's style (see drawing.js's setText)
    if (this.root.hidden !== !card) this.root.hidden = !card;
    if (!card) return;
    if (card.title !== drawn.title) {
      this.title.textContent = card.title;
      this.root.setAttribute("aria-label", card.title);
    }
    if (card.text !== drawn.text) this.text.textContent = card.text;
    if (card.answer !== drawn.answer || card.answerLabel !== drawn.answerLabel) {
      this.details.hidden = !card.answer;
      this.summary.textContent = card.answerLabel;
      this.answer.textContent = card.answer;
    }
    if (card.goals !== drawn.goals || card.marks !== drawn.marks) this.drawGoals(card.goals, card.marks);
    if (card.met !== drawn.met) {
      this.met.textContent = card.met || "";
      this.root.classList.toggle("spl-task-done", Boolean(card.met));
    }
  }

  // each goal: its mark (and, for a screen reader, the mark's word), what it asks, and what is still missing, which
  // changes every frame while playing: the items stay, their words change in place (see drawing.js's setText)
  drawGoals(goals, marks) {
    if (this.goals.children.length !== goals.length) {
      this.goals.replaceChildren(
        ...goals.map(() => {
          const item = element("li");
          element("span", "spl-task-mark", item).setAttribute("aria-hidden", "true");
          element("span", "spl-task-said", item);
          element("span", null, item);
          element("span", "spl-task-missing", item);
          return item;
        }),
      );
    }
    goals.forEach(([goal, met, missing], index) => {
      const item = this.goals.children[index];
      const [mark, said, asked, missingPart] = item.children;
      if (item.dataset.met !== String(met)) item.dataset.met = String(met);
      setText(mark, MARKS[Number(met)]);
      setText(said, `${marks[Number(met)]} `);
      setText(asked, goal);
      setText(missingPart, missing ? ` — ${missing}` : "");
    });
  }
}

// The keyboard's shortcuts, one listener on the document: each clicks the control it stands for, so a shortcut does
// exactly what that click does (Streamlit's own ``shortcut=`` fires inside the live view too, and segmented controls
// and pills have none). None fires while typing in a field or a table, with a modifier held, or on a control that
// takes the key itself and was reached by the keyboard (Space on a button, an arrow on a radio or in the live view,
// whose arrow keys move its probe): a control the mouse clicked (Play, a chart) leaves the keys to the page, but a
// slider keeps its arrows however it was reached. Streamlit's own keys (r, c, Esc) are left alone. Keys are matched by
// their place on the keyboard (``code``), so they work in a Korean input mode too. A skip link, first in the Tab
// order, takes a keyboard to Play past the sidebar.
const TYPING = "input, textarea, select, [contenteditable]:not([contenteditable='false']), [role='textbox'], "
  + "[role='combobox'], [role='listbox'], [role='grid'], [data-testid='stDataFrame']";
const TAKES_SPACE = "button, a, summary, [role='button'], [role='radio'], [role='checkbox'], [role='switch'], "
  + "[role='option'], [role='tab'], [role='menuitem'], [role='slider']";
// (the live view's canvases decide for themselves: an arrow their probe takes stops there, and never reaches here)
const TAKES_ARROWS = "[role='slider'], [role='radio'], [role='radiogroup'], [role='tab'], [role='option'], "
  + "[role='menu'], [role='menuitem']";
const VIEW_KEYS = { KeyT: "show_test", KeyH: "hard_regions", KeyL: "log_loss", KeyN: "show_network" };
// the view's options the page lets the user switch, in the order of their pills (a teacher's link may hide or lock some)
let viewOptions = Object.values(VIEW_KEYS);

function shown(selector) {
  return [...document.querySelectorAll(selector)].find((control) => control.getClientRects().length);
}

function click(control) {
  if (!control) return false;
  control.click();
  return true;
}

function playOrPause() {
  const [play, pause] = document.querySelectorAll(".st-key-run [role='radio']");
  return click(play && play.getAttribute("aria-checked") === "true" ? pause : play);
}

// The element the keyboard last focused (Tab, the skip link), or null after a click: read when the focus comes,
// since by a key press every focused element matches :focus-visible
let keyboardFocused = null;

function noteFocus(event) {
  keyboardFocused = event.target instanceof Element && event.target.matches(":focus-visible") ? event.target : null;
}

// whether the control holding the focus takes the key itself
function takes(target, selector) {
  const control = target.closest(selector);
  if (!control) return false;
  return control.matches("[role='slider']") || (keyboardFocused !== null && control.contains(keyboardFocused));
}

function shortcut(event) {
  const target = event.target instanceof Element ? event.target : document.body;
  if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing || event.defaultPrevented) return false;
  if (target.closest(TYPING)) return false;
  if (event.key === "?") return click(shown(".st-key-shortcuts button"));
  if (event.repeat || event.shiftKey) return false;
  if (event.code === "Space") return !takes(target, TAKES_SPACE) && playOrPause();
  if (event.key === "ArrowRight" || event.key === "ArrowLeft") return !takes(target, TAKES_ARROWS) && arrow(event.key);
  const pills = document.querySelectorAll(".st-key-view button[aria-pressed]");
  return event.code in VIEW_KEYS && click(pills[viewOptions.indexOf(VIEW_KEYS[event.code])]);
}

// in slow motion (its stage bar on the page) → and ← are Next and Back; otherwise → is Epoch
function arrow(key) {
  const next = key === "ArrowRight";
  const stage = shown(next ? ".st-key-stage_next button" : ".st-key-stage_back button");
  if (stage) return stage.disabled || click(stage); // Back at the first stage: taken, and nothing to do
  return next && click(shown(".st-key-step button"));
}

function onKey(event) {
  if (shortcut(event)) event.preventDefault();
}

function skipLink(text) {
  const link = document.getElementById("spl-skip") || document.createElement("a");
  if (!link.isConnected) {
    link.id = "spl-skip";
    link.href = "#";
    link.addEventListener("click", (event) => {
      event.preventDefault();
      document.querySelector(".st-key-run [role='radio']")?.focus();
    });
    document.body.prepend(link);
  }
  link.textContent = text;
  return link;
}

// the same listener each run (added once, however often this is called); both go when the page does (the lab's)
export default function ({ data }) {
  const link = skipLink(data.skip);
  viewOptions = data.view;
  document.addEventListener("keydown", onKey);
  document.addEventListener("focusin", noteFocus);
  return () => {
    document.removeEventListener("keydown", onKey);
    document.removeEventListener("focusin", noteFocus);
    link.remove();
  };
}

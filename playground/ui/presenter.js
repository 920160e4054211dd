// Presenter mode's sidebar (playground/ui/presenter.py): closed as the mode comes on, by a click on Streamlit's own
// button, so its » opens it again with one tap; open again as the mode goes off if it was open before. The component
// is on the page only while the mode is on, and called again by each page run; this module outlives it.
let wasOpen = null; // while the mode is on: whether the sidebar was open as it came on

function sidebarOpen() {
  return document.getElementById("stSidebar")?.dataset.collapsed === "false";
}

// the sidebar opened or closed as the header's » or the sidebar's « would (the one of the two on the page)
function setSidebar(open) {
  if (sidebarOpen() !== open) document.querySelector("button[aria-controls='stSidebar']")?.click();
}

export default function () {
  if (wasOpen === null) {
    wasOpen = sidebarOpen();
    setSidebar(false);
  }
  return () => {
    if (wasOpen) setSidebar(true);
    wasOpen = null;
  };
}

// Print buttons: shown only where script runs (the page says how to print without it).
// Bound once, however many times a page includes this file.
document.querySelectorAll("[data-print]:not([data-bound])").forEach((button) => {
  button.dataset.bound = "";
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});

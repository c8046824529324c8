// Shows the Print buttons of a worksheet page. Without JavaScript they stay
// hidden: the browser's own Print command prints the same sheet.
for (const button of document.querySelectorAll(".print-button")) {
  button.addEventListener("click", () => window.print());
  button.hidden = false;
}

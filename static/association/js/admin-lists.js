// A list's cell wider than 11em is cut with an ellipsis (admin.css: .cell-cut); its whole
// text stays on hover and for screen readers in the title.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const table = document.getElementById("result_list");
  if (!table) return;
  const limit = 11 * parseFloat(getComputedStyle(table).fontSize);
  const wide = [...table.querySelectorAll("tbody th, tbody td")].filter(
    (cell) => !cell.classList.contains("action-checkbox") && cell.getBoundingClientRect().width > limit + 20,
  );
  for (const cell of wide) {
    const cut = document.createElement("span");
    cut.className = "cell-cut";
    cut.title = cell.innerText.trim();
    cut.append(...cell.childNodes);
    cell.append(cut);
  }
});

// Help for people on phones and with assistive technology, on every page (base.html).

// A form that came back with mistakes: its error summary takes focus (a screen reader reads
// how many problems there are), and each link in it moves focus into its field.
function focusErrorSummary() {
  const summary = document.querySelector("[data-error-summary]")
  if (!summary) return
  summary.focus()
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']")
    const field = link && document.getElementById(link.getAttribute("href").slice(1))
    if (!field) return
    event.preventDefault()
    field.scrollIntoView({ block: "center" })
    field.focus()
  })
}

// Wide tables and charts scroll sideways inside their box. When one overflows it can be
// reached and scrolled by keyboard (a named region with tabindex) and a visible cue says so.
const SCROLLERS = ".table-responsive, .chart-scroll, .scroll-region"

function regionName(box) {
  const own = box.querySelector("caption, figcaption")
  const around = box.closest("figure, section, .card")
  const heading = own || around?.querySelector("figcaption, h2, h3, caption")
  return (heading ? heading.textContent.trim() : "表格") + "（可左右滑动）"
}

function markScrollers() {
  for (const box of document.querySelectorAll(SCROLLERS)) {
    const overflowing = box.scrollWidth > box.clientWidth + 1
    let cue = box.nextElementSibling
    if (!cue || !cue.classList.contains("scroll-cue")) {
      if (!overflowing) continue
      cue = document.createElement("p")
      cue.className = "scroll-cue"
      cue.setAttribute("aria-hidden", "true")
      cue.textContent = "← 左右滑动查看完整内容 →"
      box.after(cue)
    }
    cue.classList.toggle("is-shown", overflowing)
    if (overflowing && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0")
      box.dataset.a11yAdded = "1"
      if (!box.hasAttribute("role")) box.setAttribute("role", "region")
      if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
        box.setAttribute("aria-label", regionName(box))
      }
    } else if (!overflowing && box.dataset.a11yAdded) {
      box.removeAttribute("tabindex")
      delete box.dataset.a11yAdded
    }
  }
}

document.addEventListener("DOMContentLoaded", () => {
  focusErrorSummary()
  markScrollers()
  let pending = 0
  window.addEventListener("resize", () => {
    cancelAnimationFrame(pending)
    pending = requestAnimationFrame(markScrollers)
  })
})

// A form that came back with mistakes: its error summary takes focus (a screen reader reads
// how many problems there are), and each link in it moves focus into its field.
document.addEventListener("DOMContentLoaded", () => {
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
})

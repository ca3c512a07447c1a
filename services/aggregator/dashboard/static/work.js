// A work form sent once: its button is disabled while the page is sent (the form's
// Idempotency-Key makes a second send one event anyway).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.classList || !form.classList.contains("command")) return;
  if (form.dataset.sent) { event.preventDefault(); return; }
  form.dataset.sent = "1";
  for (const button of form.querySelectorAll("button[type=submit]")) {
    button.setAttribute("aria-disabled", "true");
  }
});

// The unit picker offers the units in force on the record's date: when that date changes, the
// datalist it names is filled with that day's units (GET /dashboard/units?on=).
document.addEventListener("change", async (event) => {
  const input = event.target;
  const list = input.dataset && document.getElementById(input.dataset.recordDate || "");
  if (!list || !/^\d{4}-\d{2}-\d{2}$/.test(input.value)) return;
  const answer = await fetch(`/dashboard/units?on=${input.value}`, { credentials: "same-origin" });
  // signed out meanwhile: the answer is the sign-in page, and the list stays as it is
  if (!answer.ok || !(answer.headers.get("content-type") || "").includes("json")) return;
  const options = (await answer.json()).map(([code, label]) => {
    const option = document.createElement("option");
    option.value = code;
    option.textContent = label;
    return option;
  });
  list.replaceChildren(...options);
  list.dataset.on = input.value;
});

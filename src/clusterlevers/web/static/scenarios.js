// Saved-scenario page actions: duplicate and (soft) delete through the JSON API.
"use strict";
(function () {
  const box = document.getElementById("scenario-actions");
  if (!box) return;
  const id = box.dataset.id;
  const status = document.getElementById("scenario-status");
  async function call(method, url) {
    const resp = await fetch(url, { method, headers: { "Content-Type": "application/json" } });
    if (!resp.ok) { status.textContent = "Failed: " + resp.status; return null; }
    return resp.status === 204 ? {} : resp.json();
  }
  box.addEventListener("click", async (ev) => {
    const btn = ev.target.closest("button[data-action]");
    if (!btn) return;
    if (btn.dataset.action === "duplicate") {
      const data = await call("POST", `/api/v1/scenarios/${encodeURIComponent(id)}/duplicate`);
      if (data) location.href = "/scenarios/" + encodeURIComponent(data.id);
    } else if (btn.dataset.action === "delete") {
      if (!confirm("Delete this scenario? Its history is kept and it can be restored by an administrator.")) return;
      const data = await call("DELETE", `/api/v1/scenarios/${encodeURIComponent(id)}`);
      if (data) location.href = "/scenarios";
    }
  });
})();

// clusterlevers navigation panel: every move re-assesses the design, the latest move winning.
// Hand-written (about 250 lines) rather than htmx: the canvas needs a log-scale slider mapping, URL
// state by short lever codes and abort-on-newer-move semantics, which would need custom JS anyway.
"use strict";
(function () {
  const form = document.getElementById("canvas");
  if (!form) return;
  const results = document.getElementById("results");
  const ctxKeys = JSON.parse(form.dataset.ctxkeys || "{}");
  const urlVersion = form.dataset.urlVersion || "1";
  const NUMERIC_CTX = new Set(["price_year", "budget_envelope", "population", "rd_intensity", "political_cycle"]);
  let seq = 0;
  let controller = null;
  let timer = null;

  // ---------- numeric lever <-> slider position (log where the lever is log)
  function toValue(el, pos) {
    const min = +el.dataset.min, max = +el.dataset.max, t = Math.min(Math.max(pos / 1000, 0), 1);
    let v = el.dataset.scale === "log" ? Math.exp(Math.log(min) + t * (Math.log(max) - Math.log(min))) : min + t * (max - min);
    if (el.dataset.integer === "1") return Math.round(v);
    if (el.dataset.scale === "log") return +v.toPrecision(v < 1 ? 2 : 3);
    return max - min >= 50 ? Math.round(v) : Math.round(v * 2) / 2;
  }
  function toPos(el, v) {
    const min = +el.dataset.min, max = +el.dataset.max;
    v = Math.min(Math.max(v, min), max);
    const t = el.dataset.scale === "log" ? (Math.log(v) - Math.log(min)) / (Math.log(max) - Math.log(min)) : (v - min) / (max - min);
    return Math.round(t * 1000);
  }
  function band(el, v) {
    const bands = (el.dataset.bands || "").split(";").map(s => s.split(":"));
    for (const [label, max] of bands) if (max === "" || v <= +max) return label.toLowerCase();
    return "";
  }

  // ---------- read the canvas
  function collect() {
    const levers = {};
    const design = { name: document.getElementById("design-name").value.trim() || "Untitled design", context: {}, levers };
    for (const el of form.querySelectorAll(".lever")) {
      const id = el.dataset.lever;
      if (el.dataset.kind === "ordinal") {
        const r = el.querySelector("input[type=radio]:checked");
        if (r && r.value) levers[id] = r.value;
      } else if (el.querySelector(".decide-box").checked) {
        const n = el.querySelector(".num").value;
        if (n !== "") levers[id] = isNaN(+n) ? n : +n;
      }
    }
    for (const inp of form.querySelectorAll("[name^='ctx.']")) {
      const key = inp.name.slice(4);
      if (inp.type === "checkbox") { if (inp.checked) design.context[key] = true; continue; }
      const v = inp.value.trim();
      if (v === "") continue;
      design.context[key] = NUMERIC_CTX.has(key) && !isNaN(+v) ? +v : (key === "country" || key === "currency" ? v.toUpperCase() : v);
    }
    return design;
  }

  function refs() {
    return { b: form.dataset.baseline || "", pin: document.getElementById("pin").value, cur: document.getElementById("cur").value };
  }

  function queryOf(design) {
    const q = new URLSearchParams();
    q.set("v", urlVersion);
    q.set("n", design.name);
    for (const [k, v] of Object.entries(design.context)) if (ctxKeys[k]) q.set(ctxKeys[k], v === true ? "1" : String(v));
    for (const el of form.querySelectorAll(".lever")) {
      const v = design.levers[el.dataset.lever];
      if (v !== undefined) q.set(el.dataset.code, String(v));
    }
    const r = refs();
    for (const k of ["b", "pin", "cur"]) if (r[k]) q.set(k, r[k]);
    if (form.dataset.scenario) q.set("s", form.dataset.scenario);
    return q;
  }

  // ---------- visual state of one lever
  function paint(el) {
    const out = el.querySelector("output.shown");
    if (el.dataset.kind === "ordinal") {
      const radios = [...el.querySelectorAll("input[type=radio]")].slice(1);
      const cur = radios.findIndex(r => r.checked);
      const base = el.dataset.baseRank === "" ? -1 : +el.dataset.baseRank;
      radios.forEach((r, i) => r.parentElement.classList.toggle("inrange", cur >= 0 && base >= 0 && i >= Math.min(cur, base) && i <= Math.max(cur, base)));
      el.classList.toggle("undecided", cur < 0);
      el.classList.toggle("changed", cur !== base);
      out.textContent = cur < 0 ? "not decided" : radios[cur].nextElementSibling.textContent;
    } else {
      const on = el.querySelector(".decide-box").checked;
      const slider = el.querySelector(".slider"), num = el.querySelector(".num");
      slider.disabled = !on; num.disabled = !on;
      el.classList.toggle("undecided", !on);
      if (!on) { out.textContent = "not decided"; slider.style.background = ""; return; }
      const v = +num.value;
      const unit = el.dataset.money === "1" ? "m " + (form.querySelector("[name='ctx.currency']").value || "?") + "/cluster-year" : el.dataset.unit;
      out.textContent = `${num.value} ${unit} (${band(el, v)})`;
      const base = el.dataset.basePos === "" ? null : +el.dataset.basePos;
      const cur = +slider.value / 10;
      if (base !== null) {
        const a = Math.min(base / 10, cur), b = Math.max(base / 10, cur);
        slider.style.background = `linear-gradient(to right, #d1d5db ${a}%, #93c5fd ${a}%, #93c5fd ${b}%, #d1d5db ${b}%)`;
      }
      slider.setAttribute("aria-valuetext", out.textContent);
    }
  }

  // ---------- re-assess: latest move wins
  async function refresh() {
    const design = collect();
    const q = queryOf(design);
    history.replaceState(null, "", "/?" + q.toString());
    const brief = document.getElementById("brief-link");
    if (brief) brief.href = "/brief?" + q.toString();
    const evalLink = document.getElementById("eval-link");
    if (evalLink) evalLink.href = "/evaluate?" + q.toString();
    const mine = ++seq;
    if (controller) controller.abort();
    controller = new AbortController();
    results.setAttribute("aria-busy", "true");
    try {
      const r = refs();
      const resp = await fetch("/ui/assess", {
        method: "POST", headers: { "Content-Type": "application/json" }, signal: controller.signal,
        body: JSON.stringify({ design, b: r.b, pin: r.pin, cur: r.cur }),
      });
      const html = await resp.text();
      if (mine !== seq) return;  // a newer move has been sent meanwhile
      results.innerHTML = html;
    } catch (e) {
      if (e.name === "AbortError") return;
      if (mine === seq) results.innerHTML = '<div class="problems" role="alert">The server did not answer: ' + String(e.message).replace(/[<>&]/g, "") + "</div>";
    } finally {
      if (mine === seq) { results.setAttribute("aria-busy", "false"); document.body.dataset.settled = String(mine); }
    }
  }
  function soon(delay) { clearTimeout(timer); timer = setTimeout(refresh, delay); }

  // ---------- events
  form.addEventListener("input", (ev) => {
    const el = ev.target.closest(".lever");
    if (el && el.dataset.kind === "numeric") {
      if (ev.target.classList.contains("slider")) el.querySelector(".num").value = toValue(el, +ev.target.value);
      else if (ev.target.classList.contains("num") && ev.target.value !== "" && !isNaN(+ev.target.value)) el.querySelector(".slider").value = toPos(el, +ev.target.value);
    }
    if (el) paint(el);
    if (ev.target.name === "ctx.currency") form.querySelectorAll(".cur").forEach(c => c.textContent = ev.target.value.toUpperCase() || "?");
    soon(ev.target.type === "range" ? 40 : 120);
  });
  form.addEventListener("change", (ev) => {
    const el = ev.target.closest(".lever");
    if (el && ev.target.classList.contains("decide-box") && ev.target.checked && el.querySelector(".num").value === "") {
      el.querySelector(".num").value = toValue(el, +el.querySelector(".slider").value);
    }
    if (el) paint(el);
    soon(0);
  });
  form.addEventListener("submit", (ev) => { ev.preventDefault(); soon(0); });

  results.addEventListener("click", (ev) => {
    const btn = ev.target.closest("button.apply");
    if (!btn) return;
    const el = form.querySelector(`.lever[data-lever="${CSS.escape(btn.dataset.lever)}"]`);
    if (!el) return;
    if (el.dataset.kind === "ordinal") {
      const r = el.querySelector(`input[type=radio][value="${CSS.escape(btn.dataset.to)}"]`);
      if (r) r.checked = true;
    } else {
      el.querySelector(".decide-box").checked = true;
      el.querySelector(".num").value = String(+btn.dataset.to);
      el.querySelector(".slider").value = toPos(el, +btn.dataset.to);
    }
    paint(el);
    soon(0);
  });

  document.getElementById("start-btn").addEventListener("click", () => {
    location.href = "/?from=" + encodeURIComponent(document.getElementById("start-from").value);
  });
  document.getElementById("stack-btn").addEventListener("click", () => {
    const q = queryOf(collect());
    q.set("stack", document.getElementById("stack-arc").value);
    location.href = "/?" + q.toString();
  });

  const status = document.getElementById("save-status");
  function say(html) { status.innerHTML = html; }
  function esc(s) { return String(s).replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]); }
  async function save(method, url, body) {
    const headers = { "Content-Type": "application/json" };
    const author = document.getElementById("save-author").value.trim();
    if (author) { headers["X-Clusterlevers-User"] = author; localStorage.setItem("clusterlevers.author", author); }
    const resp = await fetch(url, { method, headers, body: JSON.stringify(body) });
    const data = await resp.json().catch(() => ({}));
    if (!resp.ok) {
      const d = data.detail;
      say("Not saved: " + esc(Array.isArray(d) ? d.map(x => (x.field || (x.loc || []).join(".")) + ": " + x.msg).join("; ") : (d || resp.status)));
      return null;
    }
    return data;
  }
  document.getElementById("save-btn").addEventListener("click", async () => {
    const design = collect();
    const data = await save("POST", "/api/v1/scenarios", { name: design.name, note: document.getElementById("save-note").value || null, design });
    if (!data) return;
    form.dataset.scenario = data.id;
    document.getElementById("save-version-btn").hidden = false;
    say(`Saved <a href="/scenarios/${esc(data.id)}">${esc(design.name)}</a> (version ${esc(data.version)}).`);
    refresh();
  });
  document.getElementById("save-version-btn").addEventListener("click", async () => {
    const id = form.dataset.scenario;
    const data = await save("PUT", "/api/v1/scenarios/" + encodeURIComponent(id), { design: collect(), note: document.getElementById("save-note").value || null });
    if (data) say(`Saved version ${esc(data.version)} of <a href="/scenarios/${esc(id)}">this scenario</a>.`);
  });
  document.getElementById("copy-link").addEventListener("click", async () => {
    try { await navigator.clipboard.writeText(location.href); say("Link copied: anyone opening it sees this canvas."); }
    catch (e) { say("Copy this link: " + esc(location.href)); }
  });
  for (const id of ["pin", "cur"]) document.getElementById(id).addEventListener("change", () => soon(0));
  const savedAuthor = localStorage.getItem("clusterlevers.author");
  if (savedAuthor) document.getElementById("save-author").value = savedAuthor;
  form.querySelectorAll(".lever").forEach(paint);
  document.body.dataset.settled = "0";
})();

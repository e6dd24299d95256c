// Live updates: the tenant's Server-Sent Events become a "live" event on <body>; fragments that listen
// (hx-trigger="live from:body") re-fetch themselves with htmx.
(function () {
  if (document.body.dataset.live === "on" && window.EventSource) {
    const source = new EventSource("/api/events");
    for (const type of ["message.created", "message.status", "conversation.created", "conversation.updated"]) {
      source.addEventListener(type, (e) => {
        const detail = JSON.parse(e.data);
        document.body.dataset.lastEvent = type;
        if (window.htmx) {
          htmx.trigger(document.body, "live", detail);
          // One conversation's fragments listen for their own event: htmx filter expressions would need eval.
          if (detail && detail.conversationId) htmx.trigger(document.body, "live-" + detail.conversationId, detail);
        }
      });
    }
  }

  // SMS segments: GSM-7 (160 per text, 153 when split; some characters count twice) or UCS-2 (70, 67).
  const gsm = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  const gsmExtended = "^{}\\[~]|€\f";
  function segments(text) {
    let units = 0, ucs2 = false;
    for (const ch of text) {
      if (gsm.includes(ch)) units += 1;
      else if (gsmExtended.includes(ch)) units += 2;
      else { ucs2 = true; break; }
    }
    if (ucs2) {
      const length = [...text].reduce((n, ch) => n + (ch.codePointAt(0) > 0xffff ? 2 : 1), 0);
      return { ucs2, length, count: length === 0 ? 0 : length <= 70 ? 1 : Math.ceil(length / 67) };
    }
    return { ucs2, length: units, count: units === 0 ? 0 : units <= 160 ? 1 : Math.ceil(units / 153) };
  }

  function wireComposer(box) {
    const counter = box.form.querySelector(".counter");
    const update = () => {
      const s = segments(box.value);
      counter.textContent = `${s.length} characters · ${s.count} segment${s.count === 1 ? "" : "s"}` +
        (s.ucs2 ? " · special characters: sent as UCS-2 (70 per segment)" : "");
      counter.classList.toggle("ucs2", s.ucs2);
    };
    box.addEventListener("input", update);
    box.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        if (box.value.trim().length > 0) box.form.requestSubmit();
      }
    });
    update();
  }

  // Composers on the page, and those htmx brings in later (a thread opened into the inbox's pane).
  function wireComposers(root) {
    root.querySelectorAll("textarea[data-composer]").forEach((box) => {
      if (box.dataset.wired) return;
      box.dataset.wired = "true";
      wireComposer(box);
    });
  }
  wireComposers(document);
  if (window.htmx) htmx.onLoad(wireComposers);

  // A campaign message: characters and segments with its fields filled in, and the cost for its recipients.
  function wireCampaignMessage(box) {
    const counter = document.getElementById("estimate");
    const update = () => {
      const text = box.value.replaceAll("{firstName}", "Alexandra").replaceAll("{company}", box.dataset.company || "");
      const s = segments(text);
      const recipients = Number(box.dataset.recipients || 0);
      const cost = s.count * recipients * Number(box.dataset.priceMicros || 0) / 1e6;
      counter.textContent = `${s.length} characters · ${s.count} segment${s.count === 1 ? "" : "s"}` +
        (s.ucs2 ? " · special characters: sent as UCS-2 (70 per segment)" : "") +
        (recipients > 0 ? ` · ${recipients} recipient${recipients === 1 ? "" : "s"} · about $${cost.toFixed(cost < 1 ? 3 : 2)}` : "");
      counter.classList.toggle("ucs2", s.ucs2);
    };
    box.addEventListener("input", update);
    update();
  }

  document.querySelectorAll("textarea[data-campaign-message]").forEach(wireCampaignMessage);
  // Analytics: each canvas[data-chart] draws one picture of the page's JSON data block (Chart.js, served from npm).
  function drawCharts() {
    const block = document.getElementById("analytics-data");
    if (!block || typeof window.Chart !== "function") return;
    const d = JSON.parse(block.textContent);
    const counts = { beginAtZero: true, ticks: { precision: 0 } }; // whole numbers of texts, never 0.2 of one
    const line = (label, data, color) => ({ label, data, borderColor: color, backgroundColor: color, tension: 0.2 });
    const configs = {
      activity: { type: "line", data: { labels: d.days, datasets: [line("Conversations", d.conversations, "#3b5bdb"), line("Replied", d.replied, "#2b8a3e"), line("AI replies", d.aiReplies, "#862e9c")] }, options: { scales: { y: counts } } },
      funnel: { type: "bar", data: { labels: ["Texted", "Replied", "Qualified", "Appointment"], datasets: [{ label: "Conversations", data: d.funnel, backgroundColor: "#3b5bdb" }] }, options: { indexAxis: "y", scales: { x: counts } } },
      results: { type: "bar", data: { labels: d.days, datasets: [{ label: "Appointments", data: d.appointments, backgroundColor: "#2b8a3e" }, { label: "Opt-outs", data: d.optOuts, backgroundColor: "#c92a2a" }] }, options: { scales: { y: counts } } },
      spend: { type: "bar", data: { labels: d.days, datasets: [{ label: "AI ($)", data: d.aiSpend, backgroundColor: "#862e9c" }, { label: "SMS ($)", data: d.smsSpend, backgroundColor: "#1971c2" }] }, options: { scales: { x: { stacked: true }, y: { stacked: true } } } },
    };
    document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
      const config = configs[canvas.dataset.chart];
      if (!config) return;
      config.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false }, config.options || {});
      canvas.chart = new window.Chart(canvas, config);
      canvas.dataset.drawn = "true";
    });
  }

  document.addEventListener("DOMContentLoaded", drawCharts);
  document.addEventListener("submit", (e) => {
    const message = e.target.dataset && e.target.dataset.confirm;
    if (message && !window.confirm(message)) e.preventDefault();
  }, true);
})();

// Inbox keys: up and down move the selection through the rows, Enter opens the selected one, "/" jumps to search.
// The selection is the focused row link, so Enter is the link's own and screen readers follow it.
(function () {
  const inbox = () => document.querySelector("[data-inbox]");
  if (!inbox()) return;
  const typing = (el) => el && (el.isContentEditable || /^(input|textarea|select)$/i.test(el.tagName));
  // Only the rows on screen: beside an open thread at phone width the list is hidden.
  const rowsShown = () => [...inbox().querySelectorAll("a.item")].filter((r) => r.offsetParent !== null);
  document.addEventListener("keydown", (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === "/" && !typing(document.activeElement)) {
      const search = document.getElementById("search");
      if (search && search.offsetParent !== null) { e.preventDefault(); search.focus(); search.select(); }
      return;
    }
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    if (typing(document.activeElement)) return;
    const rows = rowsShown();
    if (rows.length === 0) return;
    e.preventDefault();
    const at = rows.indexOf(document.activeElement);
    const next = at < 0 ? (e.key === "ArrowDown" ? 0 : rows.length - 1)
      : Math.min(rows.length - 1, Math.max(0, at + (e.key === "ArrowDown" ? 1 : -1)));
    rows.forEach((r) => r.classList.remove("selected"));
    rows[next].classList.add("selected");
    rows[next].focus();
    selected = rows[next].dataset.conversation;
  });
  // A live refresh replaces the rows: keep the selection on the same conversation.
  let selected = null;
  document.body.addEventListener("htmx:afterSettle", () => {
    const row = selected && inbox() && inbox().querySelector(`a.item[data-conversation="${selected}"]`);
    if (row && (document.activeElement === document.body || !document.activeElement)) {
      row.classList.add("selected");
      row.focus();
    }
  });
})();

// Two panes on desktops: a row opens its thread in the pane beside the list (htmx, the URL pushed so reload and
// back work). Narrower, the same row is an ordinary link to the thread's own page. The width is the stylesheet's.
(function () {
  const wide = window.matchMedia("(min-width: 1000px)");
  document.body.addEventListener("htmx:confirm", (e) => {
    const row = e.detail.elt;
    if (!row.matches("[data-inbox] a.item")) return;
    const click = e.detail.triggeringEvent;
    if (!wide.matches || !document.getElementById("pane")) {
      e.preventDefault();
      window.location.assign(row.href);
    } else if (click && (click.ctrlKey || click.metaKey || click.shiftKey)) {
      e.preventDefault();
      window.open(row.href, "_blank", "noopener");
    }
  });
  // A thread the pane cannot show (gone, or the session ended): its own page says why.
  document.body.addEventListener("htmx:responseError", (e) => {
    const row = e.detail.elt;
    if (row.matches("[data-inbox] a.item")) window.location.assign(row.href);
  });
  // The row of the open thread is marked, and is read: whatever a list refresh says, it is not unread beside itself.
  function markOpen() {
    const pane = document.getElementById("pane");
    const open = pane && pane.dataset.conversation;
    document.querySelectorAll("[data-inbox] a.item").forEach((row) => {
      const isOpen = row.dataset.conversation === open;
      row.classList.toggle("open", isOpen);
      if (!isOpen) { row.removeAttribute("aria-current"); return; }
      row.setAttribute("aria-current", "page");
      row.classList.remove("unread");
      const dot = row.querySelector(".dot");
      if (dot) dot.remove();
    });
  }
  document.body.addEventListener("htmx:afterSettle", markOpen);
})();

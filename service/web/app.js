/* Sổ tay — the web chat. Plain JS, no framework, no build step.
 * Safety rule: every piece of text from the server goes into the page through text nodes or
 * `textContent` (see `el`), never through innerHTML, so a document containing <script> shows as text. */
"use strict";

const EXAMPLES = [
  "Hạn chót nộp kế hoạch cá nhân là khi nào?",
  "han chot xay dung ke hoach tap the thuc hien ket luan 01",
  "Những đảng viên nào không phải xây dựng kế hoạch cá nhân?",
  "Lãnh đạo chủ chốt phải đăng ký nêu gương những việc gì?",
  "Tôi là bí thư chi bộ, tôi phải làm gì trong quý I/2024?",
];
const ROLE_KEY = "sotay.role";
const ASOF_KEY = "sotay.asOf"; // the date answers are read against: kept for this tab only
const SOON_DAYS = 30;

const state = { role: "", asOf: "", docs: new Map(), docList: null, obligations: new Map(), view: null, scroll: {} };
const $ = (sel) => document.querySelector(sel);

/* ---------- small helpers ---------- */

// Build an element. `props`: class, text, hidden, on<Event> handlers, anything else as an attribute.
function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

// Append / replace children, skipping empty ones (the DOM methods would print "null").
const present = (children) => children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false);
const add = (node, ...children) => node.append(...present(children));
const put = (node, ...children) => node.replaceChildren(...present(children));

/* ---------- access key ----------
 * When the service has API keys configured, the page asks for one on the first 401 and keeps it
 * for this browser tab only (sessionStorage), sending it as X-API-Key. */
const KEY_STORE = "sotay.key";
const accessKey = () => sessionStorage.getItem(KEY_STORE) || "";

async function send(path, options) {
  const opts = Object.assign({}, options || {});
  opts.headers = Object.assign({}, opts.headers || {}, accessKey() ? { "X-API-Key": accessKey() } : {});
  let res;
  try {
    res = await fetch(path, opts);
  } catch (err) {
    throw new Error("Không kết nối được máy chủ. Hãy kiểm tra kết nối rồi thử lại.");
  }
  if (res.status === 401) askForKey(accessKey() ? "Khóa truy cập không đúng. Hãy nhập lại." : null);
  return res;
}

async function failure(res) {
  let error = null;
  try { error = (await res.json()).error; } catch (err) { error = null; }
  const out = new Error((error && error.message) || `Máy chủ báo lỗi (mã ${res.status}). Hãy thử lại sau.`);
  out.code = error && error.code;
  return out;
}

async function api(path, options) {
  const res = await send(path, options);
  if (!res.ok) throw await failure(res);
  try { return await res.json(); } catch (err) { return null; }
}

// Fetch a file (with the key) and hand it to the browser as a download.
async function download(path, options, fallbackName) {
  const res = await send(path, options);
  if (!res.ok) throw await failure(res);
  const blob = await res.blob();
  const named = /filename="([^"]+)"/.exec(res.headers.get("Content-Disposition") || "");
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: named ? named[1] : fallbackName, class: "sr-only" }, "tải về");
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

function askForKey(message) {
  const form = $("#key-form");
  $("#key-msg").textContent = message || "Máy chủ yêu cầu khóa truy cập. Hãy nhập khóa được cấp.";
  form.hidden = false;
  $("#api-key").focus();
}

function setupKey() {
  const form = $("#key-form");
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const value = $("#api-key").value.trim();
    if (value) sessionStorage.setItem(KEY_STORE, value);
    else sessionStorage.removeItem(KEY_STORE);
    $("#api-key").value = "";
    form.hidden = true;
    location.reload();
  });
}

const pad = (n) => String(n).padStart(2, "0");
const isoDay = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const viDate = (iso) => (iso ? iso.split("-").reverse().join("/") : "");
const dayDiff = (a, b) => Math.round((Date.parse(b) - Date.parse(a)) / 86400000);

function sectionLabel(section) {
  if (!section) return "";
  if (section.startsWith("footnote")) return "chú thích " + section.split(" ").pop();
  if (/^(Điều|Chương|Mục|Phần)/.test(section)) return section;
  return "mục " + section;
}

const citeLabel = (c) => [c.doc_number || c.doc_id, sectionLabel(c.section)].filter(Boolean).join(", ");
const docHash = (docId, start, end) =>
  `#/van-ban/${encodeURIComponent(docId)}` + (start != null ? `?tu=${start}&den=${end}` : "");

function errorBox(message) {
  return el("p", { class: "error", role: "alert" }, message);
}

/* ---------- role ---------- */

async function loadRoles() {
  try {
    const data = await api("/api/roles");
    const list = Array.isArray(data) ? data : (data && data.roles) || [];
    const names = list.map((r) => (typeof r === "string" ? r : r.name)).filter(Boolean);
    put($("#role-list"), ...names.map((name) => el("option", { value: name })));
  } catch (err) {
    /* the list is only a help: free text still works */
  }
}

function setRole(value) {
  state.role = value.trim();
  localStorage.setItem(ROLE_KEY, state.role);
  renderRoleChip();
  if (!$("#view-deadlines").hidden) showDeadlines();
}

/* ---------- chat ----------
 * A conversation is kept in this browser (localStorage), listed and deletable; the server keeps
 * nothing: each question is sent with the earlier turns (`history`, at most HISTORY_MAX) so a
 * follow-up ("còn kế hoạch cá nhân thì sao?") is read against them, and with the date deadlines are
 * counted from (`as_of`). */

const CONV_KEY = "sotay.conversations";
const HISTORY_MAX = 10; // the API's limit
const CONV_MAX = 30; // conversations kept; the oldest go first
const TURNS_MAX = 50; // turns kept per conversation
const TIP_MAX = 320; // characters of a quote shown on hovering its [n]
const SUGGEST_MAX = 3;

const convs = { list: [], current: null };

function loadConversations() {
  try {
    const data = JSON.parse(localStorage.getItem(CONV_KEY) || "null");
    if (data && Array.isArray(data.list)) Object.assign(convs, { list: data.list, current: data.current || null });
  } catch (err) { /* a damaged entry starts a fresh list */ }
}

function saveConversations() {
  convs.list.sort((a, b) => b.updated - a.updated);
  convs.list = convs.list.slice(0, CONV_MAX);
  for (;;) {
    try {
      localStorage.setItem(CONV_KEY, JSON.stringify(convs));
      return;
    } catch (err) { // storage full: drop the oldest conversation and try again
      if (convs.list.length <= 1) return;
      convs.list.pop();
    }
  }
}

const currentConv = () => convs.list.find((c) => c.id === convs.current) || null;

function newConversation() {
  convs.current = null;
  saveConversations();
  renderConversation();
  renderConversationList();
}

function openConversation(id) {
  convs.current = id;
  saveConversations();
  renderConversation();
  renderConversationList();
}

function deleteConversation(id) {
  convs.list = convs.list.filter((c) => c.id !== id);
  if (convs.current === id) convs.current = null;
  saveConversations();
  renderConversation();
  renderConversationList();
  $("#conv-new").focus();
}

function storeTurn(turn) {
  let conv = currentConv();
  if (!conv) {
    conv = { id: `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`, title: turn.question.slice(0, 80),
      updated: Date.now(), turns: [] };
    convs.list.push(conv);
    convs.current = conv.id;
  }
  conv.turns.push(turn);
  conv.turns = conv.turns.slice(-TURNS_MAX);
  conv.updated = Date.now();
  saveConversations();
  renderConversationList();
}

function renderConversationList() {
  const items = [...convs.list].sort((a, b) => b.updated - a.updated);
  $("#conv-count").textContent = String(items.length);
  put($("#conv-list"), ...items.map((c) => el("li", { class: c.id === convs.current ? "conv current" : "conv" },
    el("button", { type: "button", class: "conv-open", "aria-current": c.id === convs.current ? "true" : null,
      onclick: () => openConversation(c.id) },
    el("span", { class: "conv-title" }, c.title),
    el("span", { class: "conv-meta" }, `${c.turns.length} câu hỏi · ${new Date(c.updated).toLocaleDateString("vi-VN")}`)),
    el("button", { type: "button", class: "conv-delete secondary", "aria-label": `Xóa hội thoại “${c.title}”`,
      title: "Xóa hội thoại", onclick: () => deleteConversation(c.id) }, "Xóa"))));
  if (!items.length) put($("#conv-list"), el("li", { class: "muted" }, "Chưa có hội thoại nào."));
}

function renderConversation() {
  const log = $("#log");
  put(log);
  const conv = currentConv();
  const turns = conv ? conv.turns : [];
  $("#empty").hidden = turns.length > 0;
  turns.forEach((t) => {
    const reply = addTurn(t.question, t.role);
    reply.classList.remove("pending");
    put(reply, renderAnswer(t.answer, t));
  });
}

function showExamples() {
  put($("#examples"), ...EXAMPLES.map((q) =>
    el("li", {}, el("button", { type: "button", class: "example", onclick: () => ask(q) }, q))));
}

// A citation chip opens the document at the quoted span. `show`: "n" (inline [n]), "full", "label".
function citationChip(c, show) {
  const text = show === "n" ? String(c.n) : show === "label" ? citeLabel(c) : `${c.n} · ${citeLabel(c)}`;
  return el("a", {
    class: show === "n" ? "chip chip-n" : "chip", "data-n": c.n, href: docHash(c.doc_id, c.start, c.end),
    "aria-label": show === "label" ? `Mở nguồn: ${citeLabel(c)}` : `Nguồn ${c.n}: ${citeLabel(c)}`,
  }, text);
}

let tipCount = 0;
const clip = (text, n) => (text.length > n ? text.slice(0, n).replace(/\s+\S*$/, "") + "…" : text);

// An inline [n]: opens the document; hovering or focusing it shows its quote (Escape hides it).
function inlineCite(c) {
  const id = `tip-${++tipCount}`;
  const chip = citationChip(c, "n");
  chip.setAttribute("aria-describedby", id);
  return el("span", { class: "cite" }, chip,
    el("span", { class: "tip", role: "tooltip", id }, `${citeLabel(c)}: “${clip(c.quote, TIP_MAX)}”`));
}

// "… văn bản [2] …" → text nodes and citation chips.
function withChips(text, citations) {
  return text.split(/(\[\d+\])/).map((part) => {
    const m = /^\[(\d+)\]$/.exec(part);
    const c = m && citations.find((x) => x.n === Number(m[1]));
    return c ? inlineCite(c) : part;
  });
}

const NOTE_LINE = /^Hiểu câu hỏi là:/;

// The answer's lines without the direct reply (shown apart, first) and the "how it was read" note.
function bodyLines(ans) {
  const lines = (ans.answer || "").split("\n").filter((l) => l.trim() && !NOTE_LINE.test(l.trim()));
  const reply = replyText(ans);
  if (reply && lines.length && lines[0].trim() === reply.trim()) lines.shift();
  return lines;
}

function replyText(ans) {
  const lines = (ans.reply || "").split("\n").filter((l) => l.trim() && !NOTE_LINE.test(l.trim()));
  return lines.length ? lines[lines.length - 1] : "";
}

const PERIOD_NOTE = /^(Lưu ý: .*?\(tính đến [^)]*\)\.)\s*(.*)$/;

function splitNote(reply) {
  const m = PERIOD_NOTE.exec(reply || "");
  return m ? [m[1], m[2]] : [null, reply];
}

function answerLines(lines, citations) {
  const out = [];
  let list = null;
  for (const line of lines) {
    if (line.startsWith("- ")) {
      if (!list) out.push((list = el("ul", { class: "quotes" })));
      list.append(el("li", {}, withChips(line.slice(2), citations)));
    } else {
      list = null;
      out.push(el("p", { class: line.startsWith(" ") ? "note" : "head" }, withChips(line.trim(), citations)));
    }
  }
  return out;
}

// The last day a deadline allows ("trước ngày X": the day before X).
function lastDay(d) {
  if (!d || !d.end) return null;
  if (!d.exclusive_end) return d.end;
  const t = new Date(`${d.end}T00:00:00`);
  t.setDate(t.getDate() - 1);
  return isoDay(t);
}

function deadlineBlock(d, recurrence, asOf) {
  if (!d) return el("p", { class: "when none" }, recurrence || "Không nêu thời hạn");
  // The text as written is the headline; the last allowed day is added for a window ("trong Quý I/2024")
  // or a text without a date of its own ("cuối năm").
  const showEnd = d.end && ((d.start && d.start !== d.end) || !/\d{1,2}\/\d{1,2}\/\d{4}/.test(d.text || ""));
  const last = lastDay(d);
  const passed = asOf && last && last < asOf;
  return el("div", { class: "when-wrap" },
    el("p", { class: "when" }, d.text || (d.end ? "trước " + viDate(d.end) : d.relative || "")),
    showEnd ? el("p", { class: "when-end" }, `hạn cuối ${viDate(last || d.end)}`) : null,
    passed ? el("p", { class: "passed" }, `Đã qua (tính đến ${viDate(asOf)})`) : null,
    d.relative && d.relative !== d.text ? el("p", { class: "when-end" }, d.relative) : null);
}

function obligationItem(o, asOf) {
  return el("li", { class: "obligation" },
    deadlineBlock(o.deadline, o.recurrence, asOf),
    el("div", { class: "ob-body" },
      el("p", { class: "action" }, o.action),
      o.actors && o.actors.length ? el("p", { class: "actors" }, "Đối tượng: " + o.actors.join("; ")) : null,
      (o.exceptions || []).map((x) => el("p", { class: "exception" }, "Ngoại lệ: " + x)),
      el("p", { class: "source" }, "Nguồn: ", citationChip(o.citation, "full"))));
}

function relatedBlock(passages) {
  if (!passages || !passages.length) return null;
  return el("aside", { class: "related", "aria-label": "Có thể liên quan" },
    el("p", { class: "related-title" }, "Có thể liên quan — không phải câu trả lời, hãy tự đọc và đánh giá:"),
    el("ul", {}, passages.map((p) => el("li", {},
      el("a", { href: docHash(p.doc_id, p.start, p.end) }, [p.doc_number || p.doc_id, sectionLabel(p.section)].filter(Boolean).join(", ")),
      el("span", { class: "snippet" }, p.text.length > 280 ? p.text.slice(0, 280) + "…" : p.text)))));
}

// The citations the text refers to, each once, in order: a source nobody cites is not listed.
function citedSources(ans) {
  const used = new Set([...(ans.answer || "").matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])));
  return (ans.citations || []).filter((c) => used.has(c.n));
}

function sourceList(cites) {
  if (!cites.length) return null;
  return el("section", { class: "sources", "aria-label": "Nguồn trích dẫn" },
    el("p", { class: "sources-title" }, `Nguồn trích dẫn (${cites.length})`),
    el("ol", { class: "source-list" }, cites.map((c) => el("li", { value: c.n },
      el("details", { class: "src-item" },
        el("summary", {}, el("span", { class: "src-n" }, `[${c.n}]`), " ", citeLabel(c),
          c.section_title ? el("span", { class: "muted" }, ` — ${clip(c.section_title, 80)}`) : null),
        el("blockquote", {}, `“${c.quote}”`),
        el("a", { href: docHash(c.doc_id, c.start, c.end), class: "open-doc" }, "Mở văn bản tại đoạn trích"))))));
}

// Next questions drawn from the answer's own records — the sections it cites, the bodies its duties
// bind, its documents — never from outside them; each is a question, stating no fact.
function suggestions(ans, asked) {
  const out = [];
  const seen = new Set([asked.trim().toLowerCase()]);
  const push = (q) => { const k = q.toLowerCase(); if (!seen.has(k) && out.length < SUGGEST_MAX) { seen.add(k); out.push(q); } };
  const cites = citedSources(ans);
  for (const c of cites) {
    if (c.section && !c.section.startsWith("footnote") && c.doc_number) push(`${sectionLabel(c.section).replace(/^m/, "M")} của ${c.doc_number} nói gì?`);
    if (out.length >= 1) break;
  }
  for (const o of ans.obligations || []) {
    const actor = (o.actors || [])[0];
    if (actor && actor.length <= 60) { push(`${actor[0].toUpperCase()}${actor.slice(1)} phải làm gì?`); break; }
  }
  const doc = cites.find((c) => c.doc_number);
  if (doc) push(`Văn bản ${doc.doc_number} do ai ký?`);
  return out;
}

function suggestionBlock(ans) {
  const qs = suggestions(ans, ans.question || "");
  if (!qs.length) return null;
  return el("nav", { class: "next", "aria-label": "Câu hỏi tiếp theo" },
    el("p", { class: "next-title" }, "Hỏi tiếp:"),
    el("ul", {}, qs.map((q) => el("li", {}, el("button", { type: "button", class: "example", onclick: () => ask(q) }, q)))));
}

function answerLink(ans, turn) {
  const p = new URLSearchParams();
  p.set("q", ans.understood_as || turn.question);
  if (turn.role) p.set("vai-tro", turn.role);
  if (turn.as_of) p.set("ngay", turn.as_of);
  return `${location.origin}${location.pathname}#/hoi?${p.toString()}`;
}

function plainText(ans, turn) {
  const cites = citedSources(ans);
  return [`Hỏi: ${turn.question}`, "", ans.answer || "",
    cites.length ? "\nNguồn:" : "",
    ...cites.map((c) => `[${c.n}] ${citeLabel(c)}${c.doc_title ? ` (${c.doc_title})` : ""}: “${c.quote}”`),
    "", `Liên kết: ${answerLink(ans, turn)}`].join("\n").replace(/\n{3,}/g, "\n\n");
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (err) { // no clipboard API (a page served over plain HTTP to another machine): the old way
    const area = el("textarea", { class: "sr-only", "aria-hidden": "true" });
    area.value = text;
    document.body.append(area);
    area.select();
    let ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    area.remove();
    return ok;
  }
}

function printTurn(turnEl) {
  document.body.classList.add("printing");
  turnEl.classList.add("print-this");
  turnEl.querySelectorAll("details.src-item").forEach((d) => { d.open = true; }); // every cited quote on paper
  const done = () => {
    document.body.classList.remove("printing");
    turnEl.classList.remove("print-this");
    window.removeEventListener("afterprint", done);
  };
  window.addEventListener("afterprint", done);
  window.print();
}

async function sendFeedback(ans, turn, rating, comment, status) {
  try {
    await api("/api/feedback", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question: turn.question, answer: ans, rating, comment: comment || undefined }),
    });
    status.textContent = comment ? "Đã gửi góp ý. Cảm ơn bạn!" : "Đã ghi nhận đánh giá. Cảm ơn bạn!";
    return true;
  } catch (err) {
    status.textContent = err.message;
    return false;
  }
}

function toolsBlock(ans, turn) {
  const status = el("p", { class: "tool-status", role: "status" });
  const comment = el("form", { class: "comment", hidden: true },
    el("label", { for: `c-${++tipCount}` }, "Góp ý (không bắt buộc)"),
    el("textarea", { id: `c-${tipCount}`, rows: 2, maxlength: 2000 }),
    el("button", { type: "submit", class: "secondary" }, "Gửi góp ý"));
  let rating = 0;
  comment.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const text = comment.querySelector("textarea").value.trim();
    if (text && await sendFeedback(ans, turn, rating, text, status)) comment.hidden = true;
  });
  const rate = (value) => async (ev) => {
    rating = value;
    ev.currentTarget.parentElement.querySelectorAll(".rate").forEach((b) => b.setAttribute("aria-pressed", "false"));
    ev.currentTarget.setAttribute("aria-pressed", "true");
    if (await sendFeedback(ans, turn, value, null, status)) comment.hidden = false;
  };
  const copy = async () => {
    status.textContent = (await copyText(plainText(ans, turn))) ? "Đã chép câu trả lời và nguồn." : "Không chép được. Hãy chọn và chép bằng tay.";
  };
  return el("div", { class: "tools" },
    el("div", { class: "tool-row" },
      el("a", { class: "tool link", href: answerLink(ans, turn), target: "_blank", rel: "noopener",
        title: "Mở lại câu hỏi này (dán liên kết để chia sẻ)" }, "Liên kết"),
      el("button", { type: "button", class: "tool copy", onclick: copy }, "Chép"),
      el("button", { type: "button", class: "tool print", onclick: (ev) => printTurn(ev.currentTarget.closest(".turn")) }, "In"),
      el("span", { class: "rating", role: "group", "aria-label": "Đánh giá câu trả lời" },
        el("button", { type: "button", class: "tool rate up", "aria-pressed": "false", onclick: rate(1) },
          el("span", { "aria-hidden": "true" }, "👍 "), "Hữu ích"),
        el("button", { type: "button", class: "tool rate down", "aria-pressed": "false", onclick: rate(-1) },
          el("span", { "aria-hidden": "true" }, "👎 "), "Chưa đúng"))),
    comment, status);
}

function renderAnswer(ans, turn) {
  const cites = ans.citations || [];
  const asOf = ans.as_of || turn.as_of || null;
  const box = el("div", { class: `answer kind-${ans.kind}` });
  if (ans.understood_as) add(box, el("p", { class: "understood" }, "Hiểu câu hỏi là: ", el("q", {}, ans.understood_as)));
  if (ans.role_applied) add(box, el("p", { class: "role-applied" }, `Đã lọc theo vai trò: ${ans.role_applied}`));
  if (ans.kind === "none") {
    add(box, el("p", { class: "none-text reply" }, replyText(ans) || ans.answer || "Các văn bản hiện có không đề cập đến nội dung này."),
      relatedBlock(ans.related));
  } else {
    // "Lưu ý: … đã qua (tính đến …)." opens the reply when a cited plan's period is over: shown as a
    // warning above the reply itself.
    const [note, reply] = splitNote(replyText(ans));
    if (note) add(box, el("p", { class: "period-note", role: "note" }, note));
    if (reply) add(box, el("p", { class: "reply" }, withChips(reply, cites)));
    if (ans.kind === "obligations" && ans.obligations && ans.obligations.length) {
      const intro = bodyLines(ans).filter((l) => !l.startsWith("- ") && !l.startsWith(" "));
      add(box, ...intro.map((l) => el("p", { class: "head" }, withChips(l, cites))),
        el("ul", { class: "obligations" }, ans.obligations.map((o) => obligationItem(o, asOf))));
    } else {
      add(box, ...answerLines(bodyLines(ans), cites));
    }
    add(box, sourceList(citedSources(ans)), suggestionBlock(ans));
  }
  add(box, toolsBlock(ans, turn));
  return box;
}

function addTurn(question, role) {
  $("#empty").hidden = true;
  const reply = el("div", { class: "bubble bot pending" }, "Đang tìm trong các văn bản…");
  const roleNote = role ? el("span", { class: "turn-role" }, `với vai trò: ${role}`) : null;
  const turn = el("li", { class: "turn" }, el("div", { class: "bubble user" }, el("p", { class: "q-text" }, question), roleNote), reply);
  $("#log").append(turn);
  return reply;
}

const coarse = () => window.matchMedia("(pointer: coarse)").matches;

// Ask a question in the current conversation. `opts.role` / `opts.asOf` override the page's for this
// question (a shared link); `opts.retry` is the failed reply box to reuse.
async function ask(question, opts) {
  opts = opts || {};
  question = question.trim();
  if (!question) return;
  const input = $("#question");
  if (input.value.trim() === question) input.value = "";
  if (coarse()) input.blur(); // on a phone: let the keyboard go down so the answer shows
  const role = opts.role !== undefined ? opts.role : state.role;
  const asOf = opts.asOf || state.asOf;
  const reply = opts.retry || addTurn(question, role);
  if (opts.retry) { put(reply, "Đang tìm trong các văn bản…"); reply.classList.add("pending"); }
  reply.parentElement.scrollIntoView({ block: "start" });
  const conv = currentConv();
  const history = (conv ? conv.turns : []).slice(-HISTORY_MAX).map((t) => ({ question: t.question, answer: t.answer }));
  const body = { question, as_of: asOf };
  if (role) body.role = role;
  if (history.length) body.history = history;
  const turn = { question, role: role || null, as_of: asOf };
  const post = (b) => api("/api/ask", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(b) });
  try {
    let ans;
    try {
      ans = await post(body);
    } catch (err) {
      // Turns saved by an older version of the service may no longer be accepted: ask without them.
      if (err.code !== "bad_history" || !body.history) throw err;
      delete body.history;
      ans = await post(body);
    }
    storeTurn({ ...turn, answer: ans });
    put(reply, renderAnswer(ans, turn));
  } catch (err) {
    // The question stays: in the box (unless something else was typed meanwhile) and on the retry button.
    if (!input.value.trim()) input.value = question;
    put(reply, errorBox(err.message),
      el("button", { type: "button", class: "retry", onclick: () => ask(question, { role, asOf, retry: reply }) }, "Thử lại"));
  }
  reply.classList.remove("pending");
  reply.parentElement.scrollIntoView({ block: "start" }); // the question and the start of its answer
}

function onQuestionKey(event) {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    $("#ask").requestSubmit();
  }
}

// The role as a filter near the question box: shown while set, removable in one tap.
function renderRoleChip() {
  const box = $("#role-chip");
  if (!state.role) {
    put(box, el("span", { class: "muted" }, "Chưa chọn vai trò"));
    return;
  }
  put(box, el("span", { class: "filter" }, "Vai trò: ", el("strong", {}, state.role),
    el("button", { type: "button", class: "chip-x", "aria-label": `Bỏ lọc theo vai trò ${state.role}`, title: "Bỏ vai trò",
      onclick: () => { $("#role").value = ""; setRole(""); $("#question").focus(); } }, "✕")));
}

function setAsOf(value) {
  state.asOf = value || isoDay(new Date());
  sessionStorage.setItem(ASOF_KEY, state.asOf);
  $("#asof").value = state.asOf;
  $("#refdate").value = state.asOf;
}

// "#/hoi?q=…&vai-tro=…&ngay=…": the link of an answer; it asks again, in a new conversation.
function askFromLink(params) {
  const q = (params.get("q") || "").trim();
  history.replaceState(null, "", "#/hoi");
  if (!q) return;
  convs.current = null;
  renderConversation();
  const day = params.get("ngay");
  ask(q, { role: params.get("vai-tro") || "", asOf: /^\d{4}-\d{2}-\d{2}$/.test(day || "") ? day : undefined });
}

/* ---------- document view ---------- */

async function getDocument(docId) {
  if (!state.docs.has(docId)) state.docs.set(docId, await api(`/api/documents/${encodeURIComponent(docId)}`));
  return state.docs.get(docId);
}

// Render text[from:to] as text nodes, with section anchors, bold headings, footnote markers and
// the highlighted span wrapped around them.
function renderRange(doc, from, to, hl) {
  const text = doc.text;
  // A heading is bold only when a body follows it (a one-paragraph item is all "heading").
  const headings = doc.sections.filter((s) => s.heading_end < s.end).map((s) => [s.start, s.heading_end]);
  const markers = (doc.footnotes || []).filter((f) => f.marker_start != null && f.marker_end > f.marker_start);
  const cuts = new Set([from, to]);
  const add = (p) => { if (p > from && p < to) cuts.add(p); };
  doc.sections.forEach((s) => { add(s.start); add(s.heading_end); });
  markers.forEach((f) => { add(f.marker_start); add(f.marker_end); });
  if (hl) { add(hl[0]); add(hl[1]); }
  const points = [...cuts].sort((a, b) => a - b);
  const frag = document.createDocumentFragment();
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    doc.sections.forEach((s, idx) => {
      if (s.start === a) frag.append(el("span", { class: "anchor", id: `s-${idx}`, tabindex: "-1" }));
    });
    let node = document.createTextNode(text.slice(a, b));
    const fn = markers.find((f) => a >= f.marker_start && b <= f.marker_end);
    if (fn) node = el("a", { class: "fnref", href: `#fn-${fn.number}`, onclick: jumpTo(`fn-${fn.number}`) }, node);
    if (headings.some(([s, e]) => a >= s && b <= e)) node = el("strong", { class: "heading" }, node);
    if (hl && a >= hl[0] && b <= hl[1]) node = el("mark", { class: "hl" }, node);
    frag.append(node);
  }
  return frag;
}

function jumpTo(id) {
  return (event) => {
    event.preventDefault();
    const target = document.getElementById(id);
    if (!target) return;
    target.scrollIntoView({ block: "start", behavior: "smooth" });
    target.focus({ preventScroll: true });
  };
}

function outline(doc, current) {
  const lists = new Map();
  const root = el("ul", { class: "outline" });
  doc.sections.forEach((s, idx) => {
    const link = el("a", { href: `#s-${idx}`, onclick: jumpTo(`s-${idx}`), "aria-current": s === current ? "location" : null },
      el("span", { class: "num" }, s.path), " ", s.title || "");
    const item = el("li", {}, link);
    (lists.get(s.parent) || root).append(item);
    const sub = el("ul");
    item.append(sub);
    lists.set(s.path, sub);
  });
  root.querySelectorAll("ul:empty").forEach((u) => u.remove());
  return root;
}

function metaList(doc) {
  const partial = doc.completeness === "partial";
  const rows = [
    ["Số hiệu", doc.number], ["Loại văn bản", doc.type], ["Cơ quan ban hành", doc.issuer],
    ["Ngày ban hành", viDate(doc.issued)], ["Nơi ban hành", doc.place],
  ].filter(([, v]) => v);
  return el("dl", { class: "meta" },
    rows.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]),
    el("dt", {}, "Mức đầy đủ"),
    el("dd", {}, el("span", { class: partial ? "badge partial" : "badge full" },
      partial ? "Bản trích — không phải toàn văn" : "Toàn văn")));
}

function sectionAt(doc, pos) {
  let best = null;
  for (const s of doc.sections) if (s.start <= pos && pos < s.end && (!best || s.level >= best.level)) best = s;
  return best;
}

function footnoteList(doc, hl) {
  if (!doc.footnotes || !doc.footnotes.length) return null;
  return el("section", { class: "footnotes", "aria-labelledby": "fn-title" },
    el("h3", { id: "fn-title" }, "Chú thích"),
    el("ol", {}, doc.footnotes.map((f) => el("li", { id: `fn-${f.number}`, tabindex: "-1", value: f.number },
      el("span", { class: "fn-text" }, renderRange(doc, f.start, f.end, hl))))));
}

async function showDocument(docId, params) {
  const box = $("#doc");
  put(box, el("p", { class: "muted" }, "Đang mở văn bản…"));
  let doc;
  try {
    doc = await getDocument(docId);
  } catch (err) {
    put(box, errorBox(err.message));
    return;
  }
  const start = Number(params.get("tu"));
  const end = Number(params.get("den"));
  const hl = params.has("tu") && end > start ? [start, end] : null;
  const notes = doc.footnotes || [];
  const bodyEnd = notes.length ? Math.min(...notes.map((f) => f.start)) : doc.text.length;
  const current = hl ? sectionAt(doc, hl[0]) : null;
  const title = el("h2", { id: "doc-title", tabindex: "-1" }, [doc.type, doc.number].filter(Boolean).join(" ") || doc.doc_id);
  const toc = el("details", { class: "toc" }, el("summary", {}, "Mục lục"), outline(doc, current));
  if (window.matchMedia("(min-width: 800px)").matches) toc.open = true;
  put(box, title,
    doc.title ? el("p", { class: "doc-subtitle" }, doc.title) : null,
    metaList(doc),
    hl ? el("p", { class: "hl-note" }, "Đoạn được trích dẫn đang được tô sáng",
      current ? ` (${sectionLabel(current.path)})` : "", ". ",
      el("a", { href: "#hl", onclick: jumpTo("hl") }, "Đến đoạn trích")) : null,
    el("div", { class: "doc-layout" },
      el("nav", { class: "doc-nav", "aria-label": "Mục lục văn bản" }, toc),
      el("article", { class: "doc-body" },
        el("div", { class: "doc-text" }, renderRange(doc, 0, bodyEnd, hl)),
        footnoteList(doc, hl))));
  const mark = box.querySelector("mark.hl");
  title.focus({ preventScroll: true });
  if (mark) {
    mark.id = "hl";
    mark.tabIndex = -1;
    mark.scrollIntoView({ block: "center" });
  } else {
    window.scrollTo(0, 0);
  }
}

/* ---------- my deadlines ---------- */

async function getObligations(role) {
  if (!state.obligations.has(role)) {
    const q = role ? `?role=${encodeURIComponent(role)}` : "";
    state.obligations.set(role, (await api(`/api/obligations${q}`)).obligations || []);
  }
  return state.obligations.get(role);
}

function groupByDue(obligations, ref) {
  const groups = { overdue: [], soon: [], later: [], undated: [] };
  for (const o of obligations) {
    const end = o.deadline && o.deadline.end;
    if (!end) groups.undated.push(o);
    else if (end < ref) groups.overdue.push(o);
    else if (dayDiff(ref, end) <= SOON_DAYS) groups.soon.push(o);
    else groups.later.push(o);
  }
  const byDue = (a, b) => a.deadline.end.localeCompare(b.deadline.end) || a.citation.start - b.citation.start;
  ["overdue", "soon", "later"].forEach((k) => groups[k].sort(byDue));
  return groups;
}

function timelineItem(o, ref) {
  const d = o.deadline;
  let rel = null;
  if (d && d.end) {
    const n = dayDiff(ref, d.end);
    rel = n < 0 ? `đã quá ${-n} ngày` : n === 0 ? "hôm nay là hạn cuối" : `còn ${n} ngày`;
  }
  return el("li", { class: "tl-item" },
    d && d.end ? el("time", { class: "tl-date", datetime: d.end }, viDate(d.end)) : null,
    el("div", { class: "tl-body" },
      el("p", { class: "when-line" }, el("strong", {}, d ? d.text : o.recurrence || "Không nêu thời hạn"),
        rel ? el("span", { class: "rel" }, ` · ${rel}`) : null),
      el("p", { class: "action" }, o.action),
      o.actors && o.actors.length ? el("p", { class: "actors" }, "Đối tượng: " + o.actors.join("; ")) : null,
      el("p", { class: "source" }, "Nguồn: ", citationChip(o.citation, "label"))));
}

function timelineGroup(key, title, items, ref) {
  const list = el("ol", { class: "timeline" }, items.map((o) => timelineItem(o, ref)));
  const head = el("h3", {}, `${title} (${items.length})`);
  if (key === "undated") return el("details", { class: `tl-group ${key}` }, el("summary", {}, head), list);
  return el("section", { class: `tl-group ${key}` }, head,
    items.length ? list : el("p", { class: "muted" }, "Không có việc nào."));
}

async function showDeadlines() {
  const ref = state.asOf || isoDay(new Date());
  const role = state.role;
  $("#dl-role").textContent = role ? `Vai trò: ${role}` : "Chưa chọn vai trò — đang hiện việc của mọi đối tượng. Chọn vai trò ở đầu trang.";
  const ics = $("#ics");
  ics.href = "/api/obligations.ics" + (role ? `?role=${encodeURIComponent(role)}` : "");
  ics.setAttribute("download", `so-tay-${role ? role.replace(/\s+/g, "-") : "tat-ca"}.ics`);
  const box = $("#timeline");
  put(box, el("p", { class: "muted" }, "Đang tải…"));
  let obligations;
  try {
    obligations = await getObligations(role);
  } catch (err) {
    put(box, errorBox(err.message));
    return;
  }
  const g = groupByDue(obligations, ref);
  put(box,
    el("p", { class: "muted" }, `Tính theo ngày ${viDate(ref)}: sắp đến hạn là trong ${SOON_DAYS} ngày tới.`),
    timelineGroup("overdue", "Quá hạn", g.overdue, ref),
    timelineGroup("soon", "Sắp đến hạn", g.soon, ref),
    timelineGroup("later", "Sau đó", g.later, ref),
    g.undated.length ? timelineGroup("undated", "Không có ngày cụ thể (thường xuyên, định kỳ, tính từ một sự kiện)", g.undated, ref) : null);
}

/* ---------- documents list ---------- */

async function showDocuments() {
  const list = $("#doc-list");
  const missing = $("#missing-list");
  if (!state.docList) {
    put(list, el("li", { class: "muted" }, "Đang tải…"));
    try {
      state.docList = await api("/api/documents");
    } catch (err) {
      put(list, el("li", {}, errorBox(err.message)));
      return;
    }
  }
  const { documents = [], missing: absent = [] } = state.docList;
  const numberOf = new Map(documents.map((d) => [d.doc_id, d.number || d.doc_id]));
  put(list, ...documents.map((d) => el("li", { class: "card" },
    el("a", { href: docHash(d.doc_id), class: "card-title" }, [d.type, d.number].filter(Boolean).join(" ") || d.doc_id),
    el("p", {}, d.title || ""),
    el("p", { class: "muted" }, [d.issuer, viDate(d.issued)].filter(Boolean).join(" · ")),
    el("span", { class: d.completeness === "partial" ? "badge partial" : "badge full" },
      d.completeness === "partial" ? "Bản trích" : "Toàn văn"))));
  if (!documents.length) put(list, el("li", { class: "muted" }, "Kho chưa có văn bản nào."));
  put(missing, ...absent.map((m) => el("li", {},
    el("strong", {}, [m.type, m.number].filter(Boolean).join(" ")),
    m.issued ? ` (${viDate(m.issued)})` : "",
    m.title ? ` — ${m.title}` : "",
    el("span", { class: "muted" }, " · được viện dẫn trong: "),
    (m.cited_by || []).map((id, i) => [i ? ", " : "", el("a", { href: docHash(id) }, numberOf.get(id) || id)]))));
  if (!absent.length) put(missing, el("li", { class: "muted" }, "Không có."));
}

/* ---------- lesson builder ---------- */

// The outline is edited here (remove, reorder); a download sends the kept point ids in order and
// the server rebuilds the lesson from the documents, so a file only ever holds checked quotes.
const LESSON_EXAMPLES = ["nêu gương", "kế hoạch cá nhân", "tuyên truyền", "Mặt trận Tổ quốc giám sát"];
const lesson = { key: "", data: null, order: [], documents: [], ticket: 0 };

const lessonPointIds = (data) => data.parts.flatMap((part) => part.points.map((p) => p.id));
const LESSON_EDITS = "sotay.lesson:"; // + the outline's key: the trainer's edits, kept across reloads

// The edited order saved for this outline, if every id in it is still one of its points.
function savedOrder(key, data) {
  try {
    const order = JSON.parse(localStorage.getItem(LESSON_EDITS + key) || "null");
    const ids = new Set(lessonPointIds(data));
    return Array.isArray(order) && order.every((id) => ids.has(id)) ? order : null;
  } catch (err) {
    return null;
  }
}

function saveOrder() {
  try {
    if (lesson.order.join("\n") === lessonPointIds(lesson.data).join("\n")) localStorage.removeItem(LESSON_EDITS + lesson.key);
    else localStorage.setItem(LESSON_EDITS + lesson.key, JSON.stringify(lesson.order));
  } catch (err) { /* storage full: the edit still holds for this visit */ }
}

const overlaps = (a, b) => a.doc_id === b.doc_id && a.start < b.end && b.start < a.end;

// What an edited outline keeps besides its points, as the server does for the file: a removed point's
// text is gone everywhere — the duties it states or dates, and the review questions on it.
function keptExtras(data, order) {
  const byId = new Map(data.parts.flatMap((part) => part.points.map((p) => [p.id, p.citation])));
  const keep = new Set(order);
  const kept = order.map((id) => byId.get(id));
  const removed = [...byId].filter(([id]) => !keep.has(id)).map(([, c]) => c);
  const gone = (c) => c && removed.some((r) => overlaps(r, c));
  const obligations = data.obligations.filter((o) => !gone(o.citation) && !gone(o.deadline_citation)
    && !(o.exception_citations || []).some(gone)
    && (kept.some((k) => overlaps(k, o.citation) || (o.deadline_citation && overlaps(k, o.deadline_citation)))
      || !removed.length));
  const spans = kept.concat(obligations.flatMap((o) => [o.citation, o.deadline_citation].filter(Boolean)));
  const questions = data.questions.filter((q) => !gone(q.citation) && spans.some((s) => overlaps(s, q.citation)));
  return { obligations, questions };
}
const docName = (d) => [d.type, d.number].filter(Boolean).join(" ") || d.doc_id;

async function loadLessonDocs() {
  const box = $("#lesson-docs");
  if (box.childElementCount) return;
  try {
    if (!state.docList) state.docList = await api("/api/documents");
  } catch (err) {
    put(box, errorBox(err.message));
    return;
  }
  put(box, el("ul", { class: "doc-checks" }, (state.docList.documents || []).map((d) => el("li", {},
    el("label", {}, el("input", { type: "checkbox", name: "lesson-doc", value: d.doc_id }), " ", docName(d),
      d.title ? el("span", { class: "muted" }, ` — ${d.title}`) : null)))));
}

const chosenDocs = () => [...document.querySelectorAll("input[name=lesson-doc]:checked")].map((i) => i.value);

function showLessonExamples() {
  put($("#lesson-examples"), ...LESSON_EXAMPLES.map((t) =>
    el("li", {}, el("button", { type: "button", class: "example", onclick: () => submitLesson(t) }, t))));
}

function submitLesson(topic) {
  topic = (topic === undefined ? $("#lesson-topic").value : topic).trim();
  if (!topic) {
    put($("#lesson"), errorBox("Hãy nhập chủ đề bài giảng, ví dụ “nêu gương”."));
    $("#lesson-topic").focus();
    return;
  }
  $("#lesson-topic").value = topic;
  const hash = `#/bai-giang?chu-de=${encodeURIComponent(topic)}`;
  if (location.hash === hash) showLesson(new URLSearchParams(hash.split("?")[1]), true);
  else location.hash = hash; // route() builds it; the address can be bookmarked and comes back with "Back"
}

async function showLesson(params, force) {
  loadLessonDocs();
  const topic = (params.get("chu-de") || "").trim();
  const box = $("#lesson");
  if (!topic) {
    if (lesson.data) renderLesson();
    return;
  }
  $("#lesson-topic").value = topic;
  const docs = chosenDocs();
  const key = JSON.stringify([topic, docs]);
  if (!force && lesson.data && (lesson.key === key || (lesson.data.topic === topic && !docs.length))) {
    renderLesson(); // back from a cited document: the edited outline is still here
    return;
  }
  const ticket = ++lesson.ticket;
  put(box, el("p", { class: "muted" }, "Đang soạn dàn ý từ các văn bản…"));
  const body = { topic };
  if (docs.length) body.documents = docs;
  try {
    const data = await api("/api/lessons", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    if (ticket !== lesson.ticket) return; // a newer request was sent meanwhile
    Object.assign(lesson, { key, data, documents: docs, order: savedOrder(key, data) || lessonPointIds(data) });
    renderLesson();
  } catch (err) {
    if (ticket === lesson.ticket) put(box, errorBox(err.message));
  }
}

function sourceItem(d) {
  return el("li", {},
    el("a", { href: docHash(d.doc_id) }, docName(d)),
    d.issued ? ` (${viDate(d.issued)})` : "",
    d.title ? ` — ${d.title}` : "",
    d.completeness === "partial" ? [" ", el("span", { class: "badge partial" }, "Bản trích")] : null);
}

function missingItem(m) {
  return el("li", {},
    el("strong", {}, [m.type, m.number].filter(Boolean).join(" ")),
    m.issued ? ` (${viDate(m.issued)})` : "",
    m.title ? ` — ${m.title}` : "");
}

function pointItem(p, index, count) {
  const label = `ý ${index + 1}`;
  return el("li", { class: "lesson-point", "data-id": p.id, value: index + 1 },
    el("p", { class: "quote" }, `“${p.citation.quote}”`),
    el("div", { class: "point-bar" },
      citationChip(p.citation, "label"),
      el("span", { class: "point-tools" },
        el("button", { type: "button", class: "tool up", title: "Đưa lên", "aria-label": `Đưa ${label} lên`,
          disabled: index === 0, onclick: () => movePoint(index, -1) }, "↑"),
        el("button", { type: "button", class: "tool down", title: "Đưa xuống", "aria-label": `Đưa ${label} xuống`,
          disabled: index === count - 1, onclick: () => movePoint(index, 1) }, "↓"),
        el("button", { type: "button", class: "tool remove", title: "Bỏ ý này", "aria-label": `Bỏ ${label}`,
          onclick: () => removePoint(index) }, "✕"))));
}

function questionItem(q) {
  return el("li", { class: "lesson-question", "data-kind": q.kind },
    el("p", { class: "q" }, q.question),
    el("p", { class: "a" }, el("span", { class: "muted" }, "Đáp án: "), el("strong", {}, q.answer), " ",
      citationChip(q.citation, "label")));
}

function section(title, ...children) {
  return el("section", { class: "lesson-sec" }, el("h4", {}, title), ...children);
}

function renderLesson() {
  const data = lesson.data;
  const box = $("#lesson");
  if (!data.covered) {
    put(box, el("div", { class: "lesson-none", role: "status" }, el("h3", {}, data.title),
      el("p", { class: "none-text" }, data.note || "Các văn bản hiện có không đề cập đến chủ đề này.")));
    return;
  }
  const byId = new Map();
  data.parts.forEach((part) => part.points.forEach((p) => byId.set(p.id, { p, part })));
  // Consecutive points of one document and section are shown (and exported) under one heading.
  const groups = [];
  lesson.order.forEach((id, index) => {
    const { p, part } = byId.get(id);
    const last = groups[groups.length - 1];
    if (!last || last.part.doc_id !== part.doc_id || last.part.section !== part.section) groups.push({ part, items: [] });
    groups[groups.length - 1].items.push({ p, index });
  });
  // A removed point goes everywhere: with the duties it states or dates and the questions on it.
  const { obligations, questions } = keptExtras(data, lesson.order);
  const edited = lesson.order.join("\n") !== lessonPointIds(data).join("\n");
  const count = lesson.order.length;
  put(box,
    el("div", { class: "lesson-head" },
      el("h3", { id: "lesson-name", tabindex: "-1" }, data.title),
      el("div", { class: "lesson-actions" },
        el("button", { type: "button", id: "lesson-docx", onclick: () => downloadLesson("docx") }, "Tải .docx"),
        el("button", { type: "button", id: "lesson-md", class: "secondary", onclick: () => downloadLesson("md") }, "Tải .md"),
        edited ? el("button", { type: "button", id: "lesson-reset", class: "secondary", onclick: resetLesson }, "Khôi phục dàn ý") : null)),
    el("div", { id: "lesson-msg", role: "status" }),
    el("p", { class: "muted" }, `${count} ý chính từ ${data.documents.length} văn bản · ${obligations.length} nhiệm vụ · ${questions.length} câu hỏi ôn tập. Mỗi ý là trích dẫn nguyên văn.`),
    edited ? el("p", { class: "muted small" }, "Dàn ý đã sửa được lưu trên trình duyệt này.") : null,
    section("Văn bản sử dụng", el("ul", { class: "lesson-sources" }, data.documents.map(sourceItem))),
    section("Nội dung chính", count
      ? groups.map((g) => el("div", { class: "lesson-part" }, el("h5", {}, g.part.heading),
        el("ol", { class: "lesson-points" }, g.items.map(({ p, index }) => pointItem(p, index, count)))))
      : el("p", { class: "muted" }, "Đã bỏ hết các ý. Bấm “Khôi phục dàn ý” để lấy lại.")),
    obligations.length ? section("Nhiệm vụ và thời hạn", el("ul", { class: "obligations" }, obligations.map((o) => obligationItem(o, state.asOf)))) : null,
    questions.length ? section("Câu hỏi ôn tập", el("ol", { class: "lesson-questions" }, questions.map(questionItem))) : null,
    data.missing.length ? section("Văn bản được dẫn chiếu nhưng chưa có trong kho",
      el("p", { class: "muted" }, "Cần bổ sung để giảng đầy đủ:"), el("ul", { class: "missing" }, data.missing.map(missingItem))) : null);
}

// After a change the focus stays with the point that moved (or the next one), so a keyboard user
// can keep going.
function refocus(id, cls) {
  const item = id && document.querySelector(`.lesson-point[data-id="${CSS.escape(id)}"]`);
  const target = item && (item.querySelector(`.${cls}:not([disabled])`) || item.querySelector(".remove"));
  (target || $("#lesson-name")).focus();
}

function movePoint(index, step) {
  const to = index + step;
  if (to < 0 || to >= lesson.order.length) return;
  const [id] = lesson.order.splice(index, 1);
  lesson.order.splice(to, 0, id);
  saveOrder();
  renderLesson();
  refocus(id, step < 0 ? "up" : "down");
}

function removePoint(index) {
  lesson.order.splice(index, 1);
  saveOrder();
  renderLesson();
  refocus(lesson.order[Math.min(index, lesson.order.length - 1)], "remove");
}

function resetLesson() {
  lesson.order = lessonPointIds(lesson.data);
  saveOrder();
  renderLesson();
  $("#lesson-name").focus();
}

async function downloadLesson(ext) {
  const button = $(`#lesson-${ext}`);
  const msg = $("#lesson-msg");
  button.disabled = true;
  put(msg, el("p", { class: "muted" }, "Đang tạo tệp…"));
  const body = { topic: lesson.data.topic, points: lesson.order };
  if (lesson.documents.length) body.documents = lesson.documents;
  try {
    await download(`/api/lessons.${ext}`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    }, `bai-giang.${ext}`);
    put(msg);
  } catch (err) {
    put(msg, errorBox(err.message));
  }
  button.disabled = false;
}

/* ---------- routing ---------- */

const VIEWS = ["chat", "document", "deadlines", "documents", "lesson"];
const VIEW_NAMES = { chat: "cuộc hội thoại", deadlines: "thời hạn của tôi", lesson: "bài giảng", documents: "danh sách văn bản" };

// The document view's way back: to where the reader came from (the conversation at the same place,
// the deadlines, the lesson), else to the list of documents.
function backLink(from) {
  const link = $("#doc-back");
  if (from && from !== "document" && VIEW_NAMES[from]) {
    link.textContent = `← Quay lại ${VIEW_NAMES[from]}`;
    link.onclick = (ev) => { ev.preventDefault(); history.back(); };
  } else {
    link.textContent = "← Danh sách văn bản";
    link.onclick = null;
  }
}

// Show the view the address names. After a user's move (not on first load), focus goes to the
// view's heading — never to the question box, which on a phone would raise the keyboard.
function route(event) {
  const hash = location.hash || "#/hoi";
  if (/^#(fn-|s-|hl)/.test(hash)) return; // in-page jumps inside the document view
  const [path, query] = hash.slice(1).split("?");
  const params = new URLSearchParams(query || "");
  const docMatch = /^\/van-ban\/(.+)$/.exec(path);
  const view = docMatch ? "document" : path === "/thoi-han" ? "deadlines" : path === "/van-ban" ? "documents"
    : path === "/bai-giang" ? "lesson" : "chat";
  const from = state.view;
  if (from && from !== view) state.scroll[from] = window.scrollY;
  state.view = view;
  VIEWS.forEach((v) => { $(`#view-${v}`).hidden = v !== view; });
  document.querySelectorAll(".tabs a").forEach((a) => {
    const active = a.dataset.view === view || (view === "document" && a.dataset.view === "documents");
    if (active) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  });
  if (event && (view === "deadlines" || view === "documents" || view === "lesson")) $(`#view-${view} h2`).focus({ preventScroll: true });
  if (view === "document") {
    if (from !== "document") backLink(from);
    showDocument(decodeURIComponent(docMatch[1]), params);
  }
  if (view === "deadlines") showDeadlines();
  if (view === "documents") showDocuments();
  if (view === "lesson") showLesson(params);
  if (view === "chat" && params.has("q")) askFromLink(params);
  else if (from && from !== view && view !== "document") window.scrollTo(0, state.scroll[view] || 0); // back at the same place
}

function init() {
  if ("scrollRestoration" in history) history.scrollRestoration = "manual"; // route() puts each view back
  const roleInput = $("#role");
  state.role = localStorage.getItem(ROLE_KEY) || "";
  roleInput.value = state.role;
  roleInput.addEventListener("change", () => setRole(roleInput.value));
  renderRoleChip();
  setAsOf(sessionStorage.getItem(ASOF_KEY) || isoDay(new Date()));
  $("#asof").addEventListener("change", () => setAsOf($("#asof").value));
  $("#refdate").addEventListener("change", () => { setAsOf($("#refdate").value); showDeadlines(); });
  $("#refdate-2024").addEventListener("click", () => { setAsOf("2024-01-01"); showDeadlines(); });
  $("#refdate-today").addEventListener("click", () => { setAsOf(isoDay(new Date())); showDeadlines(); });
  $("#ask").addEventListener("submit", (e) => { e.preventDefault(); ask($("#question").value); });
  $("#question").addEventListener("keydown", onQuestionKey);
  $("#conv-new").addEventListener("click", newConversation);
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") document.body.classList.add("tips-off"); });
  document.addEventListener("pointermove", () => document.body.classList.remove("tips-off"));
  document.addEventListener("focusin", () => document.body.classList.remove("tips-off"));
  showExamples();
  loadConversations();
  renderConversation();
  renderConversationList();
  $("#lesson-form").addEventListener("submit", (e) => { e.preventDefault(); submitLesson(); });
  showLessonExamples();
  loadRoles();
  setupKey();
  $("#ics").addEventListener("click", (ev) => {
    if (!accessKey()) return;  // no key: the plain link works
    ev.preventDefault();  // a link cannot carry the key: fetch the calendar and save it
    download($("#ics").getAttribute("href"), {}, $("#ics").getAttribute("download"))
      .catch((err) => put($("#timeline"), errorBox(err.message)));
  });
  window.addEventListener("hashchange", route);
  route();
}

document.addEventListener("DOMContentLoaded", init);

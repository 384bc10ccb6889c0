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
const SOON_DAYS = 30;

const state = { role: "", docs: new Map(), docList: null, obligations: new Map() };
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
  let message = null;
  try { message = (await res.json()).error.message; } catch (err) { message = null; }
  return new Error(message || `Máy chủ báo lỗi (mã ${res.status}). Hãy thử lại sau.`);
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
  if (!$("#view-deadlines").hidden) showDeadlines();
}

/* ---------- chat ---------- */

function showExamples() {
  put($("#examples"), ...EXAMPLES.map((q) =>
    el("li", {}, el("button", { type: "button", class: "example", onclick: () => ask(q) }, q))));
}

// A citation chip opens the document at the quoted span. `show`: "n" (inline [n]), "full", "label".
function citationChip(c, show) {
  const text = show === "n" ? String(c.n) : show === "label" ? citeLabel(c) : `${c.n} · ${citeLabel(c)}`;
  return el("button", {
    type: "button", class: "chip", "data-n": c.n,
    title: `Mở nguồn: ${citeLabel(c)}`,
    "aria-label": show === "label" ? `Mở nguồn: ${citeLabel(c)}` : `Nguồn ${c.n}: ${citeLabel(c)}`,
    onclick: () => { location.hash = docHash(c.doc_id, c.start, c.end); },
  }, text);
}

// "… văn bản [2] …" → text nodes and citation chips.
function withChips(text, citations) {
  return text.split(/(\[\d+\])/).map((part) => {
    const m = /^\[(\d+)\]$/.exec(part);
    const c = m && citations.find((x) => x.n === Number(m[1]));
    return c ? citationChip(c, "n") : part;
  });
}

function answerLines(answer, citations) {
  const out = [];
  let list = null;
  for (const line of answer.split("\n")) {
    if (!line.trim()) continue;
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

function deadlineBlock(d, recurrence) {
  if (!d) return el("p", { class: "when none" }, recurrence || "Không nêu thời hạn");
  // The text as written is the headline; the last allowed day is added for a window ("trong Quý I/2024")
  // or a text without a date of its own ("cuối năm").
  const showEnd = d.end && ((d.start && d.start !== d.end) || !/\d{1,2}\/\d{1,2}\/\d{4}/.test(d.text || ""));
  return el("div", { class: "when-wrap" },
    el("p", { class: "when" }, d.text || (d.end ? "trước " + viDate(d.end) : d.relative || "")),
    showEnd ? el("p", { class: "when-end" }, `hạn cuối ${viDate(d.end)}`) : null,
    d.relative && d.relative !== d.text ? el("p", { class: "when-end" }, d.relative) : null);
}

function obligationItem(o) {
  return el("li", { class: "obligation" },
    deadlineBlock(o.deadline, o.recurrence),
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

function renderAnswer(ans) {
  const cites = ans.citations || [];
  const box = el("div", { class: `answer kind-${ans.kind}` });
  if (ans.kind === "none") {
    add(box, el("p", { class: "none-text" }, ans.answer || "Các văn bản hiện có không đề cập đến nội dung này."),
      relatedBlock(ans.related));
    return box;
  }
  if (ans.kind === "obligations" && ans.obligations && ans.obligations.length) {
    const intro = ans.answer.split("\n").filter((l) => l.trim() && !l.startsWith("- ") && !l.startsWith(" "));
    add(box, ...intro.map((l) => el("p", { class: "head" }, l)),
      el("ul", { class: "obligations" }, ans.obligations.map(obligationItem)));
  } else {
    add(box, ...answerLines(ans.answer || "", cites));
  }
  if (cites.length) {
    add(box, el("div", { class: "sources" }, el("span", { class: "muted" }, "Nguồn trích dẫn: "),
      cites.map((c) => citationChip(c, "full"))));
  }
  return box;
}

function addTurn(question) {
  $("#empty").hidden = true;
  const reply = el("div", { class: "bubble bot pending" }, "Đang tìm trong các văn bản…");
  const roleNote = state.role ? el("span", { class: "turn-role" }, `với vai trò: ${state.role}`) : null;
  const turn = el("li", { class: "turn" }, el("div", { class: "bubble user" }, el("p", {}, question), roleNote), reply);
  $("#log").append(turn);
  turn.scrollIntoView({ block: "end" });
  return reply;
}

async function ask(question) {
  question = question.trim();
  if (!question) return;
  const input = $("#question");
  input.value = "";
  const reply = addTurn(question);
  const body = { question };
  if (state.role) body.role = state.role;
  try {
    const ans = await api("/api/ask", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    put(reply, renderAnswer(ans));
  } catch (err) {
    put(reply, errorBox(err.message));
  }
  reply.classList.remove("pending");
  reply.parentElement.scrollIntoView({ block: "start" }); // the question and the start of its answer
  input.focus();
}

function onQuestionKey(event) {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    $("#ask").requestSubmit();
  }
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
  const ref = $("#refdate").value || isoDay(new Date());
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
    Object.assign(lesson, { key, data, documents: docs, order: lessonPointIds(data) });
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
  // A question on a removed point goes with it, as in the downloaded file.
  const kept = new Set(lesson.order.map((id) => byId.get(id).p.citation.n));
  data.obligations.forEach((o) => { kept.add(o.citation.n); if (o.deadline_citation) kept.add(o.deadline_citation.n); });
  const questions = data.questions.filter((q) => kept.has(q.citation.n));
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
    el("p", { class: "muted" }, `${count} ý chính từ ${data.documents.length} văn bản · ${data.obligations.length} nhiệm vụ · ${questions.length} câu hỏi ôn tập. Mỗi ý là trích dẫn nguyên văn.`),
    section("Văn bản sử dụng", el("ul", { class: "lesson-sources" }, data.documents.map(sourceItem))),
    section("Nội dung chính", count
      ? groups.map((g) => el("div", { class: "lesson-part" }, el("h5", {}, g.part.heading),
        el("ol", { class: "lesson-points" }, g.items.map(({ p, index }) => pointItem(p, index, count)))))
      : el("p", { class: "muted" }, "Đã bỏ hết các ý. Bấm “Khôi phục dàn ý” để lấy lại.")),
    data.obligations.length ? section("Nhiệm vụ và thời hạn", el("ul", { class: "obligations" }, data.obligations.map(obligationItem))) : null,
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
  renderLesson();
  refocus(id, step < 0 ? "up" : "down");
}

function removePoint(index) {
  lesson.order.splice(index, 1);
  renderLesson();
  refocus(lesson.order[Math.min(index, lesson.order.length - 1)], "remove");
}

function resetLesson() {
  lesson.order = lessonPointIds(lesson.data);
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

// Show the view the address names. After a user's move (not on first load), focus goes to the
// view's heading or, in the chat, to the question box.
function route(event) {
  const hash = location.hash || "#/hoi";
  if (/^#(fn-|s-|hl)/.test(hash)) return; // in-page jumps inside the document view
  const [path, query] = hash.slice(1).split("?");
  const docMatch = /^\/van-ban\/(.+)$/.exec(path);
  const view = docMatch ? "document" : path === "/thoi-han" ? "deadlines" : path === "/van-ban" ? "documents"
    : path === "/bai-giang" ? "lesson" : "chat";
  VIEWS.forEach((v) => { $(`#view-${v}`).hidden = v !== view; });
  document.querySelectorAll(".tabs a").forEach((a) => {
    const active = a.dataset.view === view || (view === "document" && a.dataset.view === "documents");
    if (active) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  });
  if (event && view === "chat") $("#question").focus();
  if (event && (view === "deadlines" || view === "documents" || view === "lesson")) $(`#view-${view} h2`).focus({ preventScroll: true });
  if (view === "document") showDocument(decodeURIComponent(docMatch[1]), new URLSearchParams(query || ""));
  if (view === "deadlines") showDeadlines();
  if (view === "documents") showDocuments();
  if (view === "lesson") showLesson(new URLSearchParams(query || ""));
}

function init() {
  const roleInput = $("#role");
  state.role = localStorage.getItem(ROLE_KEY) || "";
  roleInput.value = state.role;
  roleInput.addEventListener("change", () => setRole(roleInput.value));
  $("#refdate").value = isoDay(new Date());
  $("#refdate").addEventListener("change", showDeadlines);
  $("#refdate-2024").addEventListener("click", () => { $("#refdate").value = "2024-01-01"; showDeadlines(); });
  $("#refdate-today").addEventListener("click", () => { $("#refdate").value = isoDay(new Date()); showDeadlines(); });
  $("#ask").addEventListener("submit", (e) => { e.preventDefault(); ask($("#question").value); });
  $("#question").addEventListener("keydown", onQuestionKey);
  showExamples();
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

//! `review.html`: one self-contained page (inline CSS and script, the sample embedded
//! as JSON, no outside request: its Content-Security-Policy allows none) where a reviewer
//! pages through the sample with the keyboard, marks each record pass or a risk
//! category with a note, and exports `verdicts.json`. The work is kept in the browser's
//! `localStorage` under the sample's id, so a reload (or a closed tab) loses nothing
//! and two samples never mix. Every save also goes to the tab's `sessionStorage`, and a
//! load takes the later of the two and writes it back to both: headless Chromium on a
//! loaded machine was seen to start a reloaded `file://` page with empty `localStorage`
//! (about one reload in ten under four busy loops on two cores) while its
//! `sessionStorage` held the work.
//!
//! The record text is set with `textContent` only, never parsed as HTML: a record is
//! whatever the data holds, including markup.

use serde::Serialize;

use super::SampleManifest;
use super::sample::SampleItem;

/// GB/T 45654-2025 Appendix A's five classes (zh, en), for the category list; the items
/// are named by id only, as the standard's text says what each covers.
const CLASSES: [(&str, &str, &str); 5] = [
    (
        "A.1",
        "违反社会主义核心价值观的内容",
        "Content violating the core socialist values",
    ),
    ("A.2", "歧视性内容", "Discriminatory content"),
    ("A.3", "商业违法违规", "Commercial violations"),
    ("A.4", "侵犯他人合法权益", "Infringement of others' rights"),
    (
        "A.5",
        "无法满足特定服务类型的安全需求",
        "Failing the security needs of specific service types",
    ),
];

#[derive(Serialize)]
struct PageData<'a> {
    sample_id: &'a str,
    seed: u64,
    size: u64,
    per_source: bool,
    strata: &'a [String],
    audit_id: &'a str,
    merkle_root: &'a str,
    categories: Vec<Category<'a>>,
    items: &'a [SampleItem],
}

#[derive(Serialize)]
struct Category<'a> {
    id: &'a str,
    zh: &'a str,
    en: &'a str,
}

/// The page for a sample.
pub fn render(manifest: &SampleManifest, items: &[SampleItem], categories: &[String]) -> String {
    let categories = categories
        .iter()
        .map(|id| {
            let class = CLASSES
                .iter()
                .find(|(c, ..)| id.strip_prefix(c).is_some_and(|r| r.starts_with('.')));
            Category {
                id,
                zh: class.map_or("用户类别", |c| c.1),
                en: class.map_or("User category", |c| c.2),
            }
        })
        .collect();
    let data = PageData {
        sample_id: &manifest.sample_id,
        seed: manifest.params.seed,
        size: manifest.params.size,
        per_source: manifest.params.per_source,
        strata: &manifest.params.strata,
        audit_id: &manifest.audit_id,
        merkle_root: &manifest.merkle_root,
        categories,
        items,
    };
    let json = serde_json::to_string(&data).unwrap_or_else(|_| "{}".into());
    TEMPLATE.replace("/*DATA*/", &script_safe(&json))
}

/// JSON that cannot end its `<script>` element or open a comment: `<`, `>` and `&` as
/// `\u` escapes (valid anywhere in JSON text, since they occur only inside strings).
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

const TEMPLATE: &str = r##"<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>provaudit review</title>
<style>
:root { --fg:#1d2330; --muted:#5b6475; --line:#d9dde5; --pass:#1b7f3b; --risk:#b3261e; --bg:#fff; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.55 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","WenQuanYi Micro Hei","PingFang SC","Microsoft YaHei",sans-serif; color:var(--fg); background:var(--bg); }
header { position:sticky; top:0; background:#f6f7f9; border-bottom:1px solid var(--line); padding:8px 16px; display:flex; flex-wrap:wrap; gap:12px; align-items:center; z-index:1; }
header h1 { font-size:16px; margin:0 12px 0 0; }
#progress-bar { width:180px; height:10px; }
main { display:grid; grid-template-columns: minmax(0,1fr) 320px; gap:16px; padding:16px; }
#meta { color:var(--muted); font-size:13px; margin-bottom:8px; word-break:break-all; }
.field { border:1px solid var(--line); border-radius:6px; margin-bottom:12px; }
.field h3 { margin:0; padding:4px 10px; font:600 12px/1.6 ui-monospace,monospace; background:#f6f7f9; border-bottom:1px solid var(--line); }
.field pre { margin:0; padding:10px; white-space:pre-wrap; word-break:break-word; font:14px/1.6 inherit; }
mark { background:#ffe08a; border-bottom:2px solid #c77d00; }
aside { border-left:1px solid var(--line); padding-left:16px; }
aside label { display:block; font-size:13px; color:var(--muted); margin-top:12px; }
select, textarea, input, button { font:inherit; }
select, textarea, input[type=text] { width:100%; }
textarea { min-height:90px; }
button { cursor:pointer; padding:4px 10px; border:1px solid var(--line); border-radius:4px; background:#fff; }
button.primary { background:var(--pass); color:#fff; border-color:var(--pass); }
#verdict { margin-top:12px; font-weight:600; }
#verdict.pass { color:var(--pass); } #verdict.risk { color:var(--risk); }
.keys { font-size:12px; color:var(--muted); margin-top:16px; }
kbd { border:1px solid var(--line); border-radius:3px; padding:0 4px; font-size:11px; }
.flag { color:var(--risk); font-size:13px; }
</style>
</head>
<body>
<header>
  <h1 data-l="title"></h1>
  <span id="position"></span>
  <progress id="progress-bar" max="1" value="0"></progress>
  <span id="progress"></span>
  <label><span data-l="reviewer"></span> <input type="text" id="reviewer" size="14"></label>
  <button type="button" id="export" data-l="export"></button>
  <button type="button" id="lang">中文 / EN</button>
</header>
<main>
  <section>
    <div id="meta"></div>
    <div id="flags" class="flag"></div>
    <div id="fields"></div>
  </section>
  <aside>
    <button type="button" id="pass" class="primary" data-l="pass"></button>
    <label for="category" data-l="risk"></label>
    <select id="category"></select>
    <label for="note" data-l="note"></label>
    <textarea id="note"></textarea>
    <div><button type="button" id="clear" data-l="clear"></button></div>
    <div id="verdict"></div>
    <div><button type="button" id="prev" data-l="prev"></button> <button type="button" id="next" data-l="next"></button> <button type="button" id="unreviewed" data-l="unreviewed"></button></div>
    <div class="keys" data-l="keys"></div>
  </aside>
</main>
<script type="application/json" id="sample-data">/*DATA*/</script>
<script>
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('sample-data').textContent);
  var items = data.items || [];
  var KEY = 'provaudit-review:' + data.sample_id;
  var L = {
    zh: { title: '语料安全人工抽检', reviewer: '审核人', export: '导出 verdicts.json', pass: '合格 (p)',
      risk: '风险类别（GB/T 45654-2025 附录 A）', note: '备注', clear: '清除标记 (x)', prev: '上一条 (k)',
      next: '下一条 (j)', unreviewed: '下一条未审 (u)', none: '— 选择风险类别 —',
      keys: 'j / → 下一条；k / ← 上一条；p 合格；x 清除；n 备注；u 下一条未审',
      reviewed: '已审', of: '/', passed: '合格', risky: '不合格', marked: '标记：', unmarked: '未标记',
      source: '来源', stage: '阶段', file: '文件', record: '记录', kind: '类型', truncated: '（文本过长，已截断）',
      flagged: '词库命中类别：', classifier: '分类模型评分：', pii: '已遮盖个人信息：', empty: '样本为空' },
    en: { title: 'Corpus safety: manual sample review', reviewer: 'Reviewer', export: 'Export verdicts.json', pass: 'Pass (p)',
      risk: 'Risk category (GB/T 45654-2025 Appendix A)', note: 'Note', clear: 'Clear mark (x)', prev: 'Previous (k)',
      next: 'Next (j)', unreviewed: 'Next unreviewed (u)', none: '— choose a risk category —',
      keys: 'j / → next; k / ← previous; p pass; x clear; n note; u next unreviewed',
      reviewed: 'Reviewed', of: 'of', passed: 'pass', risky: 'fail', marked: 'Marked: ', unmarked: 'Not marked',
      source: 'source', stage: 'stage', file: 'file', record: 'record', kind: 'kind', truncated: '(text too long: cut)',
      flagged: 'Lexicon hits flag: ', classifier: 'Classifier score: ', pii: 'Personal information masked: ', empty: 'The sample is empty' }
  };
  function blank() {
    var lang = (navigator.language || '').toLowerCase().indexOf('zh') === 0 ? 'zh' : 'en';
    return { pos: 0, verdicts: {}, reviewer: '', lang: lang };
  }
  function read(store) {
    try {
      var s = JSON.parse(window[store].getItem(KEY));
      if (s && typeof s === 'object' && s.verdicts && typeof s.verdicts === 'object') { return s; }
    } catch (e) { /* storage off, or a damaged entry */ }
    return null;
  }
  function load() {
    var kept = read('localStorage'), tab = read('sessionStorage');
    if (kept && tab) { return (tab.saved || 0) > (kept.saved || 0) ? tab : kept; }
    return kept || tab || null;
  }
  var state = load(), restored = state !== null;
  if (!restored) { state = blank(); }
  if (!(state.pos >= 0 && state.pos < items.length)) { state.pos = 0; }
  if (state.lang !== 'zh' && state.lang !== 'en') { state.lang = 'en'; }
  function save() {
    state.saved = Date.now();
    var text = JSON.stringify(state);
    try { localStorage.setItem(KEY, text); } catch (e) { /* storage full or off */ }
    try { sessionStorage.setItem(KEY, text); } catch (e) { /* storage full or off */ }
  }
  if (restored) { save(); } // both stores hold the work again, whichever it came from
  function t(k) { return L[state.lang][k]; }
  function $(id) { return document.getElementById(id); }

  var select = $('category');
  function fillCategories() {
    select.textContent = '';
    var none = document.createElement('option');
    none.value = ''; none.textContent = t('none');
    select.appendChild(none);
    (data.categories || []).forEach(function (c) {
      var o = document.createElement('option');
      o.value = c.id; o.textContent = c.id + ' · ' + (state.lang === 'zh' ? c.zh : c.en);
      select.appendChild(o);
    });
  }

  function labels() {
    document.documentElement.lang = state.lang;
    Array.prototype.forEach.call(document.querySelectorAll('[data-l]'), function (el) {
      el.textContent = t(el.getAttribute('data-l'));
    });
    fillCategories();
  }

  function highlighted(text, hits) {
    var frag = document.createDocumentFragment();
    var chars = Array.from(text);
    var at = 0;
    hits.slice().sort(function (a, b) { return a.start - b.start || b.end - a.end; }).forEach(function (h) {
      if (h.end <= at) { return; }
      var start = Math.max(h.start, at);
      if (start > at) { frag.appendChild(document.createTextNode(chars.slice(at, start).join(''))); }
      var m = document.createElement('mark');
      m.title = h.category + ' · ' + h.term;
      m.setAttribute('data-category', h.category);
      m.textContent = chars.slice(start, h.end).join('');
      frag.appendChild(m);
      at = h.end;
    });
    if (at < chars.length) { frag.appendChild(document.createTextNode(chars.slice(at).join(''))); }
    return frag;
  }

  function counts() {
    var reviewed = 0, passed = 0;
    items.forEach(function (it) {
      var v = state.verdicts[it.id];
      if (v && v.verdict) { reviewed++; if (v.verdict === 'pass') { passed++; } }
    });
    return { reviewed: reviewed, passed: passed };
  }

  function render() {
    var c = counts();
    $('progress').textContent = t('reviewed') + ' ' + c.reviewed + ' ' + t('of') + ' ' + items.length +
      ' · ' + t('passed') + ' ' + c.passed + ' · ' + t('risky') + ' ' + (c.reviewed - c.passed);
    $('progress-bar').value = items.length ? c.reviewed / items.length : 0;
    $('reviewer').value = state.reviewer || '';
    var fields = $('fields');
    fields.textContent = '';
    var it = items[state.pos];
    if (!it) { $('position').textContent = t('empty'); $('meta').textContent = ''; return; }
    $('position').textContent = '#' + it.n + ' ' + t('of') + ' ' + items.length;
    $('meta').textContent = t('source') + ': ' + it.source + ' · ' + t('stage') + ': ' + it.stage + ' · ' +
      t('kind') + ': ' + it.kind + ' · ' + t('file') + ': ' + it.root + '/' + it.file + ' · ' + t('record') + ': ' + it.record;
    var flags = [];
    if (it.flagged && it.flagged.length) { flags.push(t('flagged') + it.flagged.join(', ')); }
    var pii = Object.keys(it.pii || {});
    if (pii.length) { flags.push(t('pii') + pii.map(function (k) { return k + ' ' + it.pii[k]; }).join(', ')); }
    if (it.classifier) {
      flags.push(t('classifier') + it.classifier.score + (it.classifier.category ? ' ' + it.classifier.category : ''));
    }
    if (it.truncated) { flags.push(t('truncated')); }
    $('flags').textContent = flags.join(' · ');
    it.fields.forEach(function (f) {
      var box = document.createElement('div'); box.className = 'field';
      var h = document.createElement('h3'); h.textContent = f.path; box.appendChild(h);
      var pre = document.createElement('pre'); pre.appendChild(highlighted(f.text, f.hits || [])); box.appendChild(pre);
      fields.appendChild(box);
    });
    var v = state.verdicts[it.id] || {};
    select.value = v.verdict && v.verdict !== 'pass' ? v.verdict : '';
    $('note').value = v.note || '';
    var shown = $('verdict');
    shown.className = v.verdict ? (v.verdict === 'pass' ? 'pass' : 'risk') : '';
    shown.textContent = v.verdict ? t('marked') + (v.verdict === 'pass' ? t('passed') : v.verdict) : t('unmarked');
  }

  function current() { return items[state.pos]; }
  function mark(verdict) {
    var it = current(); if (!it) { return; }
    var v = state.verdicts[it.id] || { note: '' };
    v.verdict = verdict;
    state.verdicts[it.id] = v;
    save(); render();
  }
  function clearMark() {
    var it = current(); if (!it) { return; }
    delete state.verdicts[it.id];
    save(); render();
  }
  function go(delta) {
    if (!items.length) { return; }
    state.pos = Math.min(items.length - 1, Math.max(0, state.pos + delta));
    save(); render();
  }
  function nextUnreviewed() {
    for (var i = 1; i <= items.length; i++) {
      var j = (state.pos + i) % items.length;
      var v = state.verdicts[items[j].id];
      if (!v || !v.verdict) { state.pos = j; save(); render(); return; }
    }
  }

  function verdictsJson() {
    var out = [];
    items.forEach(function (it) {
      var v = state.verdicts[it.id];
      if (v && v.verdict) { out.push({ id: it.id, verdict: v.verdict, note: v.note || '' }); }
    });
    return JSON.stringify({
      format: 'provaudit.verdicts/1', sample_id: data.sample_id, seed: data.seed, size: data.size,
      per_source: data.per_source, strata: data.strata, audit_id: data.audit_id,
      merkle_root: data.merkle_root, reviewer: state.reviewer || null, verdicts: out
    }, null, 2) + '\n';
  }
  function exportVerdicts() {
    var blob = new Blob([verdictsJson()], { type: 'application/json' });
    var a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'verdicts.json';
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  $('pass').addEventListener('click', function () { mark('pass'); });
  select.addEventListener('change', function () { if (select.value) { mark(select.value); } });
  $('note').addEventListener('input', function () {
    var it = current(); if (!it) { return; }
    var v = state.verdicts[it.id] || { verdict: null };
    v.note = $('note').value;
    state.verdicts[it.id] = v;
    save();
  });
  $('clear').addEventListener('click', clearMark);
  $('prev').addEventListener('click', function () { go(-1); });
  $('next').addEventListener('click', function () { go(1); });
  $('unreviewed').addEventListener('click', nextUnreviewed);
  $('export').addEventListener('click', exportVerdicts);
  $('reviewer').addEventListener('input', function () { state.reviewer = $('reviewer').value; save(); });
  $('lang').addEventListener('click', function () { state.lang = state.lang === 'zh' ? 'en' : 'zh'; save(); labels(); render(); });
  document.addEventListener('keydown', function (e) {
    var tag = (e.target && e.target.tagName) || '';
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') {
      if (e.key === 'Escape') { e.target.blur(); }
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    switch (e.key) {
      case 'j': case 'ArrowRight': case 'ArrowDown': go(1); break;
      case 'k': case 'ArrowLeft': case 'ArrowUp': go(-1); break;
      case 'p': mark('pass'); break;
      case 'x': clearMark(); break;
      case 'u': nextUnreviewed(); break;
      case 'n': $('note').focus(); break;
      default: return;
    }
    e.preventDefault();
  });
  window.provauditReview = { verdictsJson: verdictsJson };
  labels();
  render();
}());
</script>
</body>
</html>
"##;

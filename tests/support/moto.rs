//! A private `moto_server` per test: installed once into a venv under the target directory,
//! started on a free port of 127.0.0.1, killed on drop.
//!
//! Set `IDC_MOTO_SERVER=/path/to/moto_server` to use an existing installation instead.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The moto release the tests are written against (GUIDE §3 lists its deviations).
pub const MOTO_VERSION: &str = "5.2.5";

/// Clients of the three services the backend uses, all pointed at one moto server.
pub type Clients = (
    aws_sdk_ssoadmin::Client,
    aws_sdk_identitystore::Client,
    aws_sdk_organizations::Client,
);

pub struct Moto {
    pub endpoint: String,
    addr: SocketAddr,
    child: Child,
    log: PathBuf,
}

impl Moto {
    /// Installs moto if needed and starts a fresh server. Panics with the reason when it cannot.
    pub fn start() -> Moto {
        let server = moto_server();
        let mut last_error = String::new();
        // A free port found by binding port 0 can be taken by another process before moto binds
        // it, so a server that dies at start gets another port (a few times, not forever).
        for _ in 0..3 {
            match Self::spawn(&server) {
                Ok(moto) => return moto,
                Err(e) => last_error = e,
            }
        }
        panic!(
            "could not start moto_server ({}): {last_error}",
            server.display()
        );
    }

    fn spawn(server: &Path) -> Result<Moto, String> {
        let port = free_port();
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let log_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("moto-logs");
        fs::create_dir_all(&log_dir).map_err(|e| format!("{}: {e}", log_dir.display()))?;
        let log = log_dir.join(format!("moto-{port}.log"));
        // moto logs every request; a pipe nobody reads would fill up and stall the server.
        let out = File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        let child = Command::new(server)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", server.display()))?;
        let mut moto = Moto {
            endpoint: format!("http://{addr}"),
            addr,
            child,
            log,
        };
        // Bounded: 300 tries of 100 ms. A cold start of moto takes 1-3 s.
        for _ in 0..300 {
            if let Ok(Some(status)) = moto.child.try_wait() {
                return Err(format!(
                    "moto_server exited with {status}; its log:\n{}",
                    moto.log_text()
                ));
            }
            if let Ok(response) = http(addr, "GET", "/moto-api/")
                && response.starts_with("HTTP/1.")
            {
                return Ok(moto);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err(format!(
            "moto_server did not answer on {addr} within 30 s; its log:\n{}",
            moto.log_text()
        ))
        // `moto` is dropped here, which kills the child.
    }

    /// Wipes all state of this server (`POST /moto-api/reset`).
    pub fn reset(&self) {
        let response = http(self.addr, "POST", "/moto-api/reset")
            .unwrap_or_else(|e| panic!("moto reset on {}: {e}", self.endpoint));
        assert!(
            response.starts_with("HTTP/1.1 200") || response.starts_with("HTTP/1.0 200"),
            "moto reset answered: {}",
            response.lines().next().unwrap_or_default()
        );
    }

    /// SDK clients for this server: region us-east-1, dummy static credentials (moto routes by
    /// the signing scope, so requests must be signed) and no retries (moto answers HTTP 500 for
    /// what it does not implement; retrying that only slows the tests down).
    pub async fn clients(&self) -> Clients {
        use aws_sdk_ssoadmin::config::retry::RetryConfig;
        use aws_sdk_ssoadmin::config::timeout::TimeoutConfig;
        use aws_sdk_ssoadmin::config::{BehaviorVersion, Credentials, Region};

        let credentials = Credentials::new("test", "test", None, None, "moto");
        let region = Region::new("us-east-1");
        // A wedged server must fail the test, not hang it.
        let timeouts = TimeoutConfig::builder()
            .connect_timeout(Duration::from_secs(5))
            .operation_timeout(Duration::from_secs(60))
            .build();
        macro_rules! config {
            ($krate:ident) => {
                $krate::Config::builder()
                    .behavior_version(BehaviorVersion::latest())
                    .region(region.clone())
                    .credentials_provider(credentials.clone())
                    .endpoint_url(&self.endpoint)
                    .retry_config(RetryConfig::disabled())
                    .timeout_config(timeouts.clone())
                    .build()
            };
        }
        (
            aws_sdk_ssoadmin::Client::from_conf(config!(aws_sdk_ssoadmin)),
            aws_sdk_identitystore::Client::from_conf(config!(aws_sdk_identitystore)),
            aws_sdk_organizations::Client::from_conf(config!(aws_sdk_organizations)),
        )
    }

    /// What the server logged so far (one line per request), for failure messages.
    /// The SDK backend as the application builds it on these clients, minus the rate limits
    /// (moto does not throttle, and the tests should not wait for nothing).
    pub fn backend(&self, clients: &Clients) -> std::sync::Arc<dyn idc::backend::Backend> {
        let opts = idc::backend::aws::AwsOptions {
            region: Some("us-east-1".into()),
            endpoint_url: Some(self.endpoint.clone()),
            sso_admin_rps: 0,
            identity_store_rps: 0,
            organizations_rps: 0,
            max_attempts: 1,
            ..idc::backend::aws::AwsOptions::default()
        };
        let (sso, ids, org) = clients.clone();
        std::sync::Arc::new(idc::backend::aws::AwsBackend::from_clients(
            sso, ids, org, &opts,
        ))
    }

    pub fn log_text(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_else(|e| format!("({}: {e})", self.log.display()))
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local_addr").port()
}

/// One HTTP/1.1 request without a body; returns the whole response as text.
fn http(addr: SocketAddr, method: &str, path: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_millis(500))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    Ok(String::from_utf8_lossy(&response).into_owned())
}

/// The `moto_server` executable, installing moto into `<target>/moto-venv` the first time.
fn moto_server() -> PathBuf {
    if let Some(path) = std::env::var_os("IDC_MOTO_SERVER") {
        return PathBuf::from(path);
    }
    // CARGO_TARGET_TMPDIR is `<target dir>/tmp`; the venv sits beside it so `cargo clean` removes it.
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let target = tmp.parent().unwrap_or(tmp);
    let venv = target.join("moto-venv");
    let server = venv.join("bin").join("moto_server");
    let marker = venv.join(format!(".idc-installed-moto-{MOTO_VERSION}"));
    if marker.exists() && server.exists() {
        return server;
    }

    // Test binaries and the threads inside them start at once: one installs, the others wait.
    fs::create_dir_all(target).expect("create the target directory");
    let lock_path = target.join("moto-venv.lock");
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .unwrap_or_else(|e| panic!("open {}: {e}", lock_path.display()));
    lock.lock()
        .unwrap_or_else(|e| panic!("lock {}: {e}", lock_path.display()));
    if !(marker.exists() && server.exists()) {
        install(&venv);
        fs::write(&marker, MOTO_VERSION).expect("write the install marker");
    }
    drop(lock);
    server
}

fn install(venv: &Path) {
    eprintln!(
        "installing moto[server]=={MOTO_VERSION} into {} (once, about 40 s)",
        venv.display()
    );
    // A venv left half-made by an interrupted install is rebuilt from scratch.
    if venv.exists() {
        fs::remove_dir_all(venv).unwrap_or_else(|e| panic!("remove {}: {e}", venv.display()));
    }
    run(
        Command::new("python3").args(["-m", "venv"]).arg(venv),
        "python3 -m venv (is python3 with the venv module installed? On Debian: apt-get install python3-venv)",
    );
    run(
        Command::new(venv.join("bin").join("pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .arg(format!("moto[server]=={MOTO_VERSION}")),
        "pip install moto[server]",
    );
}

fn run(command: &mut Command, what: &str) {
    let output = command
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    assert!(
        output.status.success(),
        "{what} failed with {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

//! A small W3C WebDriver client for the end-to-end tests: starts `tauri-driver` (which
//! starts WebKitWebDriver, which starts the app) with the app's environment, and speaks
//! the few commands the tests need over HTTP.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

/// The key WebDriver uses for element references.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Driver {
    driver: Child,
    agent: ureq::Agent,
    base: String,
    session: String,
}

/// The app binary the tests drive: `DEMARCHE_APP`, else the one Cargo built for them.
pub fn app_binary() -> PathBuf {
    std::env::var_os("DEMARCHE_APP")
        .map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_demarche-app")), PathBuf::from)
}

/// Two different TCP ports nothing listens on now (the system's choices for port 0,
/// both held until both are known).
fn free_ports() -> (u16, u16) {
    let bind = || std::net::TcpListener::bind(("127.0.0.1", 0)).expect("a free local port");
    let (first, second) = (bind(), bind());
    let port = |listener: &std::net::TcpListener| listener.local_addr().expect("a bound address").port();
    (port(&first), port(&second))
}

impl Driver {
    /// Starts tauri-driver on two free ports with `env` added to its environment (the app
    /// inherits it), and opens a session on the app.
    pub fn start(env: &[(&str, &Path)]) -> Driver {
        // Free ports chosen now, so a driver left over from another run cannot answer.
        let (port, native_port) = free_ports();
        let binary = app_binary();
        assert!(binary.exists(), "the app is not built at {}; run scripts/e2e", binary.display());
        let mut command =
            Command::new(std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into()));
        command.args(["--port", &port.to_string(), "--native-port", &native_port.to_string()]);
        for (name, value) in env {
            command.env(name, value);
        }
        let driver = command
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("tauri-driver runs (cargo install tauri-driver --locked)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not listen on port {port}");
            std::thread::sleep(Duration::from_millis(100));
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        let base = format!("http://127.0.0.1:{port}");
        let mut driver = Driver { driver, agent, base, session: String::new() };
        let capabilities = json!({
            "capabilities": { "alwaysMatch": { "tauri:options": { "application": binary } } }
        });
        // tauri-driver may accept connections before WebKitWebDriver is ready; the first
        // attempt is then refused, so a session gets three tries.
        let mut session = Value::Null;
        for attempt in 1..=3 {
            match driver.try_session(&capabilities) {
                Ok(value) => {
                    session = value;
                    break;
                }
                Err(error) if attempt < 3 => {
                    eprintln!("no session yet ({error}); trying again");
                    std::thread::sleep(Duration::from_secs(2));
                }
                Err(error) => panic!("no WebDriver session: {error}"),
            }
        }
        driver.session = session["sessionId"].as_str().expect("a session id").to_string();
        driver
    }

    fn try_session(&self, capabilities: &Value) -> Result<Value, String> {
        let url = format!("{}/session", self.base);
        let mut response =
            self.agent.post(&url).send_json(capabilities).map_err(|error| error.to_string())?;
        let value: Value = response.body_mut().read_json().map_err(|error| error.to_string())?;
        match value["value"].get("error") {
            Some(error) => Err(format!("{error}: {}", value["value"]["message"])),
            None => Ok(value["value"].clone()),
        }
    }

    /// Sends a command; a WebDriver error fails the test with its message.
    fn send(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let value = self.try_send(method, path, body);
        if let Some(error) = value.get("error") {
            panic!("WebDriver {method} {path}: {error}: {}", value["message"]);
        }
        value
    }

    /// Sends a command and returns the `value` member, which holds the error on failure.
    fn try_send(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{}", self.base, path);
        let response = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            (_, body) => self.agent.post(&url).send_json(body.unwrap_or_else(|| json!({}))),
        };
        let mut response = response.unwrap_or_else(|error| panic!("WebDriver {method} {path}: {error}"));
        let value: Value = response.body_mut().read_json().expect("WebDriver answers JSON");
        value["value"].clone()
    }

    fn session_path(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    /// Runs `script` in the page (its `arguments` are `args`) and returns its result.
    pub fn execute(&self, script: &str, args: Vec<Value>) -> Value {
        self.send(
            "POST",
            &self.session_path("/execute/sync"),
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// The elements matching a CSS selector now.
    pub fn find_all(&self, css: &str) -> Vec<String> {
        let found = self.send(
            "POST",
            &self.session_path("/elements"),
            Some(json!({ "using": "css selector", "value": css })),
        );
        found
            .as_array()
            .unwrap()
            .iter()
            .map(|element| element[ELEMENT].as_str().unwrap().to_string())
            .collect()
    }

    /// Waits up to `seconds` for an element matching `css`.
    pub fn find(&self, css: &str, seconds: u64) -> String {
        self.wait(seconds, &format!("an element matching {css}"), || self.find_all(css).into_iter().next())
    }

    /// Polls `check` every 100 ms until it gives a value, failing after `seconds`.
    pub fn wait<T>(&self, seconds: u64, what: &str, mut check: impl FnMut() -> Option<T>) -> T {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        loop {
            if let Some(value) = check() {
                return value;
            }
            if Instant::now() > deadline {
                self.screenshot(&std::env::temp_dir().join("demarche-e2e-failure.png"));
                panic!("waited {seconds} s for {what} (screenshot in the temp folder)");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn click(&self, css: &str) {
        let element = self.find(css, 10);
        self.click_element(&element);
    }

    pub fn click_element(&self, element: &str) {
        self.send("POST", &self.session_path(&format!("/element/{element}/click")), None);
    }

    pub fn text(&self, css: &str) -> String {
        let element = self.find(css, 10);
        self.text_of(&element)
    }

    pub fn text_of(&self, element: &str) -> String {
        self.send("GET", &self.session_path(&format!("/element/{element}/text")), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Types `text` into the element (WebDriver key codes such as "\u{E007}" for Enter work).
    pub fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css, 10);
        self.send(
            "POST",
            &self.session_path(&format!("/element/{element}/value")),
            Some(json!({ "text": text })),
        );
    }

    /// A real mouse click at the centre of the element, through the actions API.
    pub fn mouse_click_centre(&self, css: &str) {
        let element = self.find(css, 10);
        let actions = json!({ "actions": [{
            "type": "pointer", "id": "mouse", "parameters": { "pointerType": "mouse" },
            "actions": [
                { "type": "pointerMove", "origin": { ELEMENT: element }, "x": 0, "y": 0 },
                { "type": "pointerDown", "button": 0 },
                { "type": "pointerUp", "button": 0 }
            ]
        }]});
        self.send("POST", &self.session_path("/actions"), Some(actions));
        self.send("DELETE", &self.session_path("/actions"), None);
    }

    /// The text of an open alert, if one is open.
    pub fn alert_text(&self) -> Option<String> {
        let value = self.try_send("GET", &self.session_path("/alert/text"), None);
        match value.get("error") {
            Some(_) => None,
            None => Some(value.as_str().unwrap_or_default().to_string()),
        }
    }

    /// Resizes the window (ignored if the driver cannot).
    pub fn resize(&self, width: u32, height: u32) {
        self.try_send(
            "POST",
            &self.session_path("/window/rect"),
            Some(json!({ "width": width, "height": height, "x": 0, "y": 0 })),
        );
    }

    /// Saves a PNG of the window's page.
    pub fn screenshot(&self, path: &Path) {
        let value = self.try_send("GET", &self.session_path("/screenshot"), None);
        if let Some(data) = value.as_str() {
            let bytes = base64::engine::general_purpose::STANDARD.decode(data).expect("base64 PNG");
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).unwrap();
            }
            std::fs::write(path, bytes).unwrap();
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            // Closing the session closes the app; a driver that does not answer in time
            // is killed below anyway.
            let _ = self
                .agent
                .delete(format!("{}{}", self.base, self.session_path("")))
                .config()
                .timeout_global(Some(Duration::from_secs(10)))
                .build()
                .call();
        }
        // The whole process group: tauri-driver, WebKitWebDriver and the app.
        let pid = self.driver.id().to_string();
        let _ = Command::new("pkill").args(["-KILL", "-P", &pid]).status();
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{pid}")]).stderr(Stdio::null()).status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

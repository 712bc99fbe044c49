//! The long-lived Python process that runs an API's real Lambda handler, as a Lambda
//! sandbox does: the app imported once, then one event at a time (`worker.py`).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

/// The worker's script, run with `python -c`.
const SCRIPT: &str = include_str!("worker.py");

/// Lambda's limit on a synchronous invocation's event and on its response: 6 MB.
const MAX_PAYLOAD: usize = 6 * 1024 * 1024;

/// How long the app may take to import before the worker is given up.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A running worker.
pub struct Worker {
    child: KillOnDrop,
    stdin: ChildStdin,
    lines: Receiver<String>,
}

/// What became of one invocation.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The handler returned this.
    Answer(Value),
    /// The handler raised (`<type>: <message>`).
    Error(String),
    /// The handler did not return in time; the worker was stopped.
    TimedOut,
    /// The worker exited.
    Died,
}

impl Worker {
    /// The script (after the prologue) and arguments of a worker for `function` of
    /// `module` (`my_api.main`, `handler`).
    pub fn command(module: &str, function: &str) -> (&'static str, Vec<String>) {
        (SCRIPT, vec![module.to_string(), function.to_string()])
    }

    /// The worker of a process started with [`Worker::command`], ready.
    pub fn new(started: Started) -> Worker {
        Worker {
            child: started.child,
            stdin: started.stdin,
            lines: started.lines,
        }
    }

    /// Calls the handler with `event` and a Lambda `context`, waiting up to `timeout`.
    /// An event or an answer over Lambda's payload limit fails, as it fails in Lambda.
    pub fn invoke(&mut self, event: &Value, context: &Value, timeout: Duration) -> Outcome {
        // The lines wrap the event and the answer in a few bytes: near enough to the limit.
        let line = json!({ "event": event, "context": context }).to_string();
        if line.len() > MAX_PAYLOAD {
            return Outcome::Error(
                "the event is over Lambda's 6 MB invocation payload limit".into(),
            );
        }
        if writeln!(self.stdin, "{line}").is_err() || self.stdin.flush().is_err() {
            return Outcome::Died;
        }
        match self.lines.recv_timeout(timeout) {
            Ok(line) if line.len() > MAX_PAYLOAD => {
                Outcome::Error("the response is over Lambda's 6 MB payload limit".into())
            }
            Ok(line) => match serde_json::from_str::<Value>(&line) {
                Ok(message) if message.get("answer").is_some() => {
                    Outcome::Answer(message["answer"].clone())
                }
                Ok(message) => Outcome::Error(message["error"].as_str().unwrap_or("").into()),
                Err(_) => Outcome::Died,
            },
            Err(RecvTimeoutError::Timeout) => {
                let _ = self.child.0.kill();
                Outcome::TimedOut
            }
            Err(RecvTimeoutError::Disconnected) => Outcome::Died,
        }
    }
}

/// The start that `worker.py` and `web_adapter.py` share: the protocol channel and the
/// standby.
pub const PROLOGUE: &str = include_str!("prologue.py");

/// A Python process of the workspace's environment that has imported an API's module
/// and said so on its first protocol line (`{"ready": ...}`).
pub struct Started {
    /// The process.
    pub child: KillOnDrop,
    /// Its standard input.
    pub stdin: ChildStdin,
    /// Its protocol lines after the first.
    pub lines: Receiver<String>,
    /// What it said when ready.
    pub ready: Value,
}

/// A Python process started ahead of a reload: it has imported the libraries the running
/// app imported, and imports the app's own code when [activated](Standby::activate).
pub struct Standby {
    process: Process,
    module: String,
}

/// A process, its standard input and its protocol lines.
type Process = (KillOnDrop, ChildStdin, Receiver<String>);

/// A child process, killed and reaped when dropped.
pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Started {
    /// Runs `python -c <prologue + script> args...` in `project_dir` with `env` added,
    /// and waits until it is ready.
    pub fn spawn(
        python: &Path,
        project_dir: &Path,
        script: &str,
        args: &[&str],
        env: &[(String, String)],
    ) -> Result<Started> {
        let process = launch(python, project_dir, script, args, env)?;
        let module = args.first().copied().unwrap_or_default();
        ready(process, module)
    }

    /// Like [`Started::spawn`], but stops before importing the app: the process imports
    /// `libraries` and waits to be activated.
    pub fn standby(
        python: &Path,
        project_dir: &Path,
        script: &str,
        args: &[&str],
        env: &[(String, String)],
        libraries: &Value,
    ) -> Result<Standby> {
        let mut args = args.to_vec();
        args.push("--standby");
        let (child, mut stdin, lines) = launch(python, project_dir, script, &args, env)?;
        let module = args[0].to_string();
        writeln!(stdin, "{libraries}").context("cannot start a standby")?;
        stdin.flush()?;
        match lines.recv_timeout(START_TIMEOUT) {
            Ok(line)
                if serde_json::from_str::<Value>(&line).is_ok_and(|m| m["standby"] == true) =>
            {
                Ok(Standby {
                    process: (child, stdin, lines),
                    module,
                })
            }
            _ => bail!("the standby for {module} did not start (see its output above)"),
        }
    }
}

impl Standby {
    /// Lets the process import the app, as it is now, and waits until it is ready.
    pub fn activate(self) -> Result<Started> {
        let (child, mut stdin, lines) = self.process;
        writeln!(stdin, "go").context("the standby has gone")?;
        stdin.flush()?;
        ready((child, stdin, lines), &self.module)
    }
}

/// Waits for the first protocol line of `module`'s process: `{"ready": ...}`, or
/// `{"failed": "<traceback>"}` (an error).
fn ready((mut child, stdin, lines): Process, module: &str) -> Result<Started> {
    let first = match lines.recv_timeout(START_TIMEOUT) {
        Ok(line) => line,
        Err(RecvTimeoutError::Timeout) => {
            bail!(
                "the {module} module did not load within {START_TIMEOUT:?} (see its output above)"
            )
        }
        Err(RecvTimeoutError::Disconnected) => {
            let status = child.0.wait()?;
            bail!(
                "the worker for {module} exited ({status}) before loading it (see its output above)"
            )
        }
    };
    let message: Value = serde_json::from_str(&first).context("the worker's first line")?;
    if let Some(traceback) = message["failed"].as_str() {
        bail!("the {module} app failed to import:\n{traceback}");
    }
    Ok(Started {
        child,
        stdin,
        lines,
        ready: message["ready"].clone(),
    })
}

/// Runs `python -c <prologue + script> args...`, its protocol lines read by a thread.
fn launch(
    python: &Path,
    project_dir: &Path,
    script: &str,
    args: &[&str],
    env: &[(String, String)],
) -> Result<Process> {
    let mut command = Command::new(python);
    // Its own process group: Ctrl-C in the terminal is the gateway's to handle.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .arg("-c")
        .arg(format!("{PROLOGUE}\n{script}"))
        .args(args)
        .current_dir(project_dir)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("cannot start {}", python.display()))?;
    let stdin = child.stdin.take().expect("stdin is piped");
    let stdout = child.stdout.take().expect("stdout is piped");
    let (sender, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    Ok((KillOnDrop(child), stdin, lines))
}

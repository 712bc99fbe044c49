//! On a terminal, `fastgen g py#fast-api` asks for what is missing, as the
//! seed's "Generate (UI)" does; `--no-interactive` turns that into an error.

mod common;

use std::fs;

use common::workspace_with_api;

#[test]
fn missing_options_are_prompted_for_on_a_terminal() {
    let (_dir, ws) = workspace_with_api(&[]);
    let binary = assert_cmd::cargo::cargo_bin("fastgen");
    let command = format!(
        "cd {} && NO_COLOR=1 {} g py#fast-api --skip-install",
        ws.display(),
        binary.display()
    );
    let mut session = rexpect::spawn_bash(Some(15_000)).unwrap();
    session.send_line(&command).unwrap();
    session
        .exp_string("What name would you like to use for the API?")
        .unwrap();
    session.send_line("Billing").unwrap();
    session
        .exp_string("Which compute type should deploy the API?")
        .unwrap();
    session.send("\x1b[B").unwrap(); // arrow down: ServerlessApiGatewayHttpApi
    session.send_line("").unwrap();
    session
        .exp_string("How should callers authenticate?")
        .unwrap();
    session.send_line("").unwrap(); // the default, IAM
    session
        .exp_string("Which infrastructure-as-code provider?")
        .unwrap();
    session.send_line("").unwrap(); // the workspace default, CDK
    session
        .exp_string("CREATE packages/billing/billing/main.py")
        .unwrap();
    session.exp_string("Next steps:").unwrap();
    session.wait_for_prompt().unwrap();

    let pyproject = fs::read_to_string(ws.join("packages/billing/pyproject.toml")).unwrap();
    assert!(pyproject.contains("compute-type = \"http\""), "{pyproject}");
    assert!(pyproject.contains("auth = \"iam\""), "{pyproject}");
    assert!(pyproject.contains("iac = \"cdk\""), "{pyproject}");
}

#[test]
fn no_interactive_never_prompts() {
    let (_dir, ws) = workspace_with_api(&[]);
    let binary = assert_cmd::cargo::cargo_bin("fastgen");
    let mut session = rexpect::spawn_bash(Some(15_000)).unwrap();
    session
        .send_line(&format!(
            "cd {} && {} g py#fast-api --no-interactive; echo exit=$?",
            ws.display(),
            binary.display()
        ))
        .unwrap();
    session
        .exp_string("error: the API name is missing")
        .unwrap();
    session.exp_string("exit=1").unwrap();
}

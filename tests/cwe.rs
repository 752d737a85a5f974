//! Each finding lists the weaknesses of what it found, the most specific first, in the
//! engine's findings, the CLI's JSON and its SARIF.

use std::process::Command;

use pyvet::{analyze, Options};

/// The CWEs of each finding of `rule` in `source`, in order.
fn cwes(source: &str, rule: &str) -> Vec<Vec<u32>> {
    analyze(source, &Options::default())
        .findings
        .iter()
        .filter(|finding| finding.rule.id == rule)
        .map(|finding| finding.cwe.to_vec())
        .collect()
}

#[test]
fn a_cookie_lists_only_the_attributes_it_lacks() {
    let source = "from flask import Flask, make_response\n\napp = Flask(__name__)\n\n\n@app.get('/')\ndef index():\n    response = make_response('hi')\n    response.set_cookie('theme', 'dark', secure=True, httponly=True)\n    response.set_cookie('session_id', 'x', samesite='Lax')\n    return response\n";
    assert_eq!(cwes(source, "PV505"), [vec![1275], vec![614, 1004]]);
}

#[test]
fn settings_name_the_weakness_of_the_setting() {
    let source = "SESSION_COOKIE_SECURE = False\nSESSION_COOKIE_HTTPONLY = False\nSECURE_SSL_REDIRECT = False\nX_FRAME_OPTIONS = 'ALLOWALL'\n";
    assert_eq!(cwes(source, "PV504"), [vec![614], vec![1004]]);
    assert_eq!(cwes(source, "PV541"), [vec![319], vec![1021]]);
}

#[test]
fn code_evaluation_is_cwe_95_first_and_hostname_checks_cwe_297() {
    let source = "import ssl\nfrom flask import request\n\neval(request.args['x'])\ncontext = ssl.create_default_context()\ncontext.check_hostname = False\n";
    assert_eq!(cwes(source, "PV720"), [vec![95, 94]]);
    assert_eq!(cwes(source, "PV603"), [vec![297]]);
}

#[test]
fn pbkdf2_problems_name_their_own_weakness() {
    let source = "import hashlib\n\n\ndef store(password):\n    return hashlib.pbkdf2_hmac('sha256', password.encode(), b'fixed-salt', 1000)\n";
    let mut found = cwes(source, "PV402");
    found.sort();
    assert_eq!(found, [vec![760], vec![916]]);
}

#[test]
fn json_and_sarif_carry_the_finding_s_cwes() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(
        dir.path().join("settings.py"),
        "SESSION_COOKIE_SAMESITE = None\n",
    )
    .expect("the file is written");
    let run = |format: &str| -> serde_json::Value {
        let output = Command::new(env!("CARGO_BIN_EXE_pyvet"))
            .args(["check", "--format", format, "settings.py"])
            .current_dir(dir.path())
            .output()
            .expect("pyvet runs");
        serde_json::from_slice(&output.stdout).expect("the report is JSON")
    };
    let json = run("json");
    assert_eq!(json["findings"][0]["cwe"], serde_json::json!([1275]));
    let sarif = run("sarif");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(
        result["properties"]["tags"],
        serde_json::json!(["external/cwe/cwe-1275"])
    );
}

#[test]
fn an_snmp_user_names_what_it_lacks() {
    let source = "from pysnmp.hlapi import UsmUserData, usmAesCfb128Protocol\n\nanonymous = UsmUserData('monitor')\ndefaults = UsmUserData('monitor', 'auth-key', 'priv-key')\nmd5 = UsmUserData('monitor', 'auth-key', 'priv-key', privProtocol=usmAesCfb128Protocol)\n";
    assert_eq!(
        cwes(source, "PV616"),
        [vec![306, 319], vec![327], vec![327]]
    );
}

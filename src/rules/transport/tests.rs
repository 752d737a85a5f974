//! What a fixture cannot show: verification switched off because the caller asked.

use crate::diagnostic::Confidence;
use crate::{analyze, Options};

/// Each transport finding on `source`: its rule id and its confidence.
fn transport_findings(source: &str) -> Vec<(&'static str, Confidence)> {
    let options = Options {
        select: vec!["PV6".to_string()],
        ..Options::default()
    };
    analyze(source, &options)
        .findings
        .iter()
        .map(|finding| (finding.rule.id, finding.confidence))
        .collect()
}

#[test]
fn an_opt_out_the_caller_chose_is_not_reported() {
    let honoured = "import ssl\nimport requests\n\
        def fetch(url, validate_certs=True):\n    ctx = ssl.create_default_context()\n\
        \x20   if not validate_certs:\n        ctx.check_hostname = False\n\
        \x20   return ctx\n\
        def get(url, verify=True):\n    if verify:\n        return None\n\
        \x20   elif verify is False:\n        return requests.get(url, verify=False, timeout=3)\n";
    assert_eq!(transport_findings(honoured), []);
    let mail = "import smtplib\ndef send(host, validate_certs):\n    if not validate_certs:\n        smtplib.SMTP_SSL(host)\n";
    assert_eq!(transport_findings(mail), []);
    let chosen_here = "import requests\nrequests.get('https://x', verify=False, timeout=3)\n";
    assert_eq!(
        transport_findings(chosen_here),
        [("PV601", Confidence::High)]
    );
}

#[test]
fn a_branch_on_another_setting_keeps_its_confidence() {
    let debug = "import ssl\nctx = ssl.create_default_context()\nif DEBUG:\n    ctx.check_hostname = False\n";
    assert_eq!(transport_findings(debug), [("PV603", Confidence::High)]);
}

fn main() {
    let source = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();
    let analysis = pyvet::analyze(&source, &pyvet::Options::default());
    for finding in analysis.findings {
        println!(
            "{:?} {} {}",
            finding.range, finding.rule.id, finding.message
        );
    }
}

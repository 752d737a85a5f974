//! Grading a lesson of the training site (`www/learn.html`, lessons in `lessons/`).
//!
//! A lesson passes when the rules it targets no longer fire on the learner's code, the code
//! parses, and every requirement — what must remain of the program — still holds. The
//! requirements keep the learner honest: deleting the vulnerable call silences the rule
//! too, and must not pass.

mod requirement;
#[cfg(test)]
mod tests;

use serde::Deserialize;

use crate::{Finding, Options, SyntaxError};

pub use requirement::{ArgPattern, ArgPosition, Requirement};

/// What grading a lesson needs from its file: the rules it targets and its requirements.
#[derive(Debug, Clone, Deserialize)]
pub struct LessonCheck {
    /// Rule ids (`PV201`), names or groups.
    pub targets: Vec<String>,
    pub requirements: Vec<Requirement>,
}

/// The verdict on one attempt.
#[derive(Debug)]
pub struct Grade {
    pub passed: bool,
    /// Findings of the target rules still in the code.
    pub findings: Vec<Finding>,
    pub syntax_errors: Vec<SyntaxError>,
    /// Each requirement's words and whether it holds, in the lesson's order.
    pub requirements: Vec<(String, bool)>,
}

/// Grades `source` against a lesson. An invalid lesson (an unknown target, a requirement
/// of no kind or of two) is an error, not a failed attempt.
pub fn grade(source: &str, lesson: &LessonCheck) -> Result<Grade, String> {
    if lesson.targets.is_empty() {
        return Err("a lesson needs at least one target rule".to_string());
    }
    if let Some(unknown) = lesson
        .targets
        .iter()
        .find(|target| !crate::is_known_selector(target))
    {
        return Err(format!("the target `{unknown}` selects no rule"));
    }
    for requirement in &lesson.requirements {
        requirement.validate()?;
    }
    let options = Options {
        select: lesson.targets.clone(),
        ..Options::default()
    };
    let analysis = crate::analyze(source, &options);
    let holds = requirement::holding(source, &lesson.requirements);
    let requirements: Vec<(String, bool)> = lesson
        .requirements
        .iter()
        .zip(holds)
        .map(|(requirement, holds)| (requirement.says.clone(), holds))
        .collect();
    let passed = analysis.findings.is_empty()
        && analysis.syntax_errors.is_empty()
        && requirements.iter().all(|(_, holds)| *holds);
    Ok(Grade {
        passed,
        findings: analysis.findings,
        syntax_errors: analysis.syntax_errors,
        requirements,
    })
}

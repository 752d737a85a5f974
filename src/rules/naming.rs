//! Words in identifiers, shared by the rules that judge a value by the name it is given.

/// The lowercase words of an identifier: `resetToken`, `RESET_TOKEN` and `X-Reset-Token` are
/// all `reset token`.
pub fn words(identifier: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in identifier.chars() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        push_lowercase(&mut current, c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Appends `c` in lowercase. Most names are ASCII, which needs no case table.
pub fn push_lowercase(text: &mut String, c: char) {
    if c.is_ascii() {
        text.push(c.to_ascii_lowercase());
    } else {
        text.extend(c.to_lowercase());
    }
}

//! `cms create-admin --email …`: the first account, without the API.

use std::io::{BufRead, IsTerminal};

use crate::auth::Role;
use crate::state::AppState;
use crate::types::{Email, Password};
use crate::users::dto::CreateUserRequest;

/// Reads the password and creates the admin; returns a message for the operator.
pub async fn run(state: &AppState, email: String) -> Result<String, String> {
    let password = read_password()?;
    let request = CreateUserRequest {
        email: Email::parse(email).map_err(|e| format!("email: {e}"))?,
        password: Password::parse(password).map_err(|e| format!("password: {e}"))?,
        role: Role::Admin,
        author_id: None,
    };
    let user = crate::users::routes::create_user(&state.db, request)
        .await
        .map_err(|e| e.to_string())?;
    Ok(format!("created admin {} (id {})", user.email, user.id))
}

fn read_password() -> Result<String, String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").map_err(|e| e.to_string())?;
        let again = rpassword::prompt_password("Again: ").map_err(|e| e.to_string())?;
        if first != again {
            return Err("the passwords differ".to_owned());
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        return Err("no password on standard input".to_owned());
    }
    Ok(password)
}

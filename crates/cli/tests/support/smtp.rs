#![allow(dead_code)] // Each test file takes what it needs.
//! A stand-in SMTP server on a loopback port for the acknowledgement tests: it speaks enough
//! ESMTP for a client (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), keeps the messages it
//! accepts, and answers the end of DATA as the test scripts it (a 451 to retry, a 550 to refuse).

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// A message as the SMTP server received it.
#[derive(Clone, Debug)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    /// Headers and body, dot-stuffing undone.
    pub data: String,
    /// What the end of DATA was answered.
    pub reply: String,
}

#[derive(Default)]
struct State {
    mails: Vec<Mail>,
    replies: VecDeque<String>,
}

pub struct SmtpSink {
    /// `smtp://127.0.0.1:PORT`, plain text (loopback only).
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("smtp://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                let state = shared.clone();
                std::thread::spawn(move || {
                    let _ = session(stream, &state);
                });
            }
        });
        SmtpSink { url, state }
    }

    /// The next messages' ends of DATA are answered with these lines, in turn (then 250).
    pub fn reply_next(&self, lines: &[&str]) {
        let mut state = self.state.lock().unwrap();
        state.replies.extend(lines.iter().map(|l| (*l).to_owned()));
    }

    /// Every message sent, accepted or not.
    pub fn mails(&self) -> Vec<Mail> {
        self.state.lock().unwrap().mails.clone()
    }

    /// The messages accepted (250).
    pub fn accepted(&self) -> Vec<Mail> {
        self.mails()
            .into_iter()
            .filter(|m| m.reply.starts_with('2'))
            .collect()
    }
}

fn session(stream: TcpStream, state: &Mutex<State>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(std::time::Duration::from_secs(30)))?;
    let mut out = stream.try_clone()?;
    let mut lines = BufReader::new(stream);
    out.write_all(b"220 sink ESMTP\r\n")?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_owned();
        let verb = command
            .split([' ', ':'])
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let angle = |text: &str| {
            text.split_once('<')
                .and_then(|(_, rest)| rest.split_once('>'))
                .map(|(address, _)| address.to_owned())
                .unwrap_or_default()
        };
        match verb.as_str() {
            "EHLO" => out.write_all(b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")?,
            "HELO" => out.write_all(b"250 sink\r\n")?,
            "MAIL" => {
                from = angle(&command);
                to.clear();
                out.write_all(b"250 2.1.0 ok\r\n")?;
            }
            "RCPT" => {
                to.push(angle(&command));
                out.write_all(b"250 2.1.5 ok\r\n")?;
            }
            "DATA" => {
                out.write_all(b"354 end with <CRLF>.<CRLF>\r\n")?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line)? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                }
                let mut state = state.lock().unwrap();
                let reply = state
                    .replies
                    .pop_front()
                    .unwrap_or_else(|| "250 2.0.0 queued".to_owned());
                state.mails.push(Mail {
                    from: from.clone(),
                    to: to.clone(),
                    data,
                    reply: reply.clone(),
                });
                drop(state);
                out.write_all(format!("{reply}\r\n").as_bytes())?;
            }
            "RSET" | "NOOP" => out.write_all(b"250 2.0.0 ok\r\n")?,
            "QUIT" => {
                out.write_all(b"221 2.0.0 bye\r\n")?;
                return Ok(());
            }
            _ => out.write_all(b"502 5.5.2 not implemented\r\n")?,
        }
    }
}

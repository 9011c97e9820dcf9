//! Running one call of [`generator::generate`] on its own thread (with a CLI-sized
//! stack): its answer, a caught panic (location, message, backtrace, recorded by a panic
//! hook), or a hang when it does not answer within `FUZZ_HANG_SECONDS`.

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::config::{CALL_STACK, hang_limit};

pub(crate) struct PanicRecord {
    pub(crate) location: String,
    pub(crate) message: String,
    pub(crate) backtrace: String,
}

thread_local! {
    static LAST_PANIC: RefCell<Option<PanicRecord>> = const { RefCell::new(None) };
}

pub(crate) fn install_panic_hook() {
    let default = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        // Only the call threads are recorded silently; anything else is a bug here.
        if !thread::current().name().is_some_and(|n| n.starts_with("fuzz ")) {
            return default(info);
        }
        let location = info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column())).unwrap_or_default();
        let message = if let Some(s) = info.payload().downcast_ref::<&str>() {
            (*s).to_string()
        } else if let Some(s) = info.payload().downcast_ref::<String>() {
            s.clone()
        } else {
            "(non-string panic payload)".to_string()
        };
        let backtrace = std::backtrace::Backtrace::force_capture().to_string();
        LAST_PANIC.with(|last| *last.borrow_mut() = Some(PanicRecord { location, message, backtrace }));
    }));
}

pub(crate) enum Outcome {
    Ok,
    Rejected(generator::Failure),
    Panic(PanicRecord),
    Hang,
}

pub(crate) fn run_one(text: &str, options: &generator::Options, thread_name: String) -> (Outcome, Duration) {
    let (tx, rx) = mpsc::channel();
    let text = text.to_string();
    let options = options.clone();
    let started = Instant::now();
    let handle = thread::Builder::new()
        .name(thread_name)
        .stack_size(CALL_STACK)
        .spawn(move || {
            let result = panic::catch_unwind(AssertUnwindSafe(|| generator::generate(&text, &options)));
            let outcome = match result {
                Ok(Ok(_)) => Outcome::Ok,
                Ok(Err(failure)) => Outcome::Rejected(failure),
                Err(_) => Outcome::Panic(LAST_PANIC.with(|l| l.borrow_mut().take()).unwrap_or(PanicRecord {
                    location: "(unknown)".into(),
                    message: "(no panic hook record)".into(),
                    backtrace: String::new(),
                })),
            };
            let _ = tx.send(outcome);
        })
        .expect("spawn fuzz call thread");
    match rx.recv_timeout(hang_limit()) {
        Ok(outcome) => {
            let elapsed = started.elapsed();
            let _ = handle.join();
            (outcome, elapsed)
        }
        Err(mpsc::RecvTimeoutError::Timeout) => (Outcome::Hang, started.elapsed()),
        Err(mpsc::RecvTimeoutError::Disconnected) => (
            Outcome::Panic(PanicRecord {
                location: "(call thread died)".into(),
                message: "the call thread ended without an answer".into(),
                backtrace: String::new(),
            }),
            started.elapsed(),
        ),
    }
}

//! A tiny, safe pickle reader for one thing: a dict of numpy arrays, as the book's
//! `sample_weight.pkl` (book 3.6.2).
//!
//! Python's pickle is a small stack machine whose programs may call any Python function;
//! loading an untrusted pickle in Python can run arbitrary code. This reader runs no code:
//! it knows the few opcodes such files use, and accepts only the globals numpy needs to
//! rebuild an array (`numpy.core.multiarray._reconstruct`, `numpy.ndarray`, `numpy.dtype`,
//! `numpy.core.numeric._frombuffer` for protocol 5, and `_codecs.encode` for bytes in
//! protocol 2). Anything else is refused with its offset.
//!
//! Limits: at most [`MAX_PICKLE_OPCODES`] opcodes are run, and the arrays built (and the
//! copies made for a dict that lists one array under several names) may hold at most the
//! caller's limit of `f64` bytes. Nesting is not limited: values are dropped without
//! recursion, so a million nested tuples cannot overflow the stack. Dict keys are found
//! through a hash map, so loading is linear in the file.

use crate::error::{fail, Malformed};
use crate::npy::{element_count, floats_to_array, Budget, Float};
use crate::pickle_value::{shape_of, Array, Dtype, Global, Items, Value};
use dlfs::ndarray::ArrayD;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// The most opcodes a pickle may run (1 048 576). Each makes at most one value, of at
/// most about 128 bytes besides the bytes it reads, so the pickle machine itself never
/// needs more than about 128 MiB; the book's `sample_weight.pkl` runs a few hundred.
///
/// ```
/// assert_eq!(dlfs_data::MAX_PICKLE_OPCODES, 1 << 20);
/// ```
pub const MAX_PICKLE_OPCODES: u64 = 1 << 20;

/// Why a pickle was refused, and where (offset of the opcode in the file).
#[derive(Debug)]
pub(crate) enum PickleError {
    Invalid(Malformed),
    Forbidden {
        offset: u64,
        module: String,
        name: String,
    },
}

impl From<Malformed> for PickleError {
    fn from(m: Malformed) -> Self {
        PickleError::Invalid(m)
    }
}

struct Machine<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Offset of the opcode being run, for messages.
    op_at: u64,
    stack: Vec<Value>,
    marks: Vec<usize>,
    memo: HashMap<u64, Value>,
    /// Opcodes run so far.
    ops: u64,
    /// Pays for the arrays built.
    budget: Budget,
}

/// An array from its raw bytes, dtype, shape and order, paid for from `budget`.
fn make_array(
    data: &[u8],
    dtype: &Dtype,
    shape: &[usize],
    fortran: bool,
    budget: &mut Budget,
) -> Result<Array, String> {
    let float = Float::parse(&dtype.kind, dtype.order)?;
    budget.spend(
        element_count(shape)?,
        &format!("an array of shape {shape:?}"),
    )?;
    let values = floats_to_array(data, float, shape, fortran)?;
    Ok(Array::Built(values))
}

impl<'a> Machine<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], PickleError> {
        match self.pos.checked_add(n) {
            Some(end) if end <= self.bytes.len() => {
                let s = &self.bytes[self.pos..end];
                self.pos = end;
                Ok(s)
            }
            _ => fail(
                self.op_at,
                format!(
                    "truncated: the opcode needs {n} more bytes at offset {} but the file has {}",
                    self.pos,
                    self.bytes.len()
                ),
            ),
        }
    }

    fn u8(&mut self) -> Result<u8, PickleError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, PickleError> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Result<u32, PickleError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self) -> Result<u64, PickleError> {
        let b = self.take(8)?;
        Ok(u64::from_le_bytes([
            b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
        ]))
    }
    fn len64(&mut self) -> Result<usize, PickleError> {
        let n = self.u64()?;
        usize::try_from(n).or_else(|_| fail(self.op_at, format!("length {n} is too large")))
    }
    fn line(&mut self) -> Result<String, PickleError> {
        let rest = &self.bytes[self.pos..];
        let Some(end) = rest.iter().position(|&c| c == b'\n') else {
            return fail(self.op_at, "truncated: a text argument has no end of line");
        };
        let s = String::from_utf8_lossy(&rest[..end]).into_owned();
        self.pos += end + 1;
        Ok(s)
    }

    fn pop(&mut self) -> Result<Value, PickleError> {
        match self.stack.pop() {
            Some(v) => Ok(v),
            None => fail(self.op_at, "the stack is empty (malformed pickle)"),
        }
    }
    fn top(&mut self) -> Result<&mut Value, PickleError> {
        let at = self.op_at;
        self.stack
            .last_mut()
            .map_or_else(|| fail(at, "the stack is empty (malformed pickle)"), Ok)
    }
    /// Everything above the last MARK, which is removed.
    fn pop_mark(&mut self) -> Result<Vec<Value>, PickleError> {
        let Some(mark) = self.marks.pop() else {
            return fail(self.op_at, "no MARK to pop to (malformed pickle)");
        };
        if mark > self.stack.len() {
            return fail(
                self.op_at,
                "the MARK is above the stack top (malformed pickle)",
            );
        }
        Ok(self.stack.split_off(mark))
    }
    fn tuple(&mut self, n: usize) -> Result<(), PickleError> {
        if self.stack.len() < n {
            return fail(
                self.op_at,
                format!("a {n}-tuple needs {n} items on the stack"),
            );
        }
        let items = self.stack.split_off(self.stack.len() - n);
        self.stack.push(Value::Tuple(Rc::new(Items(items))));
        Ok(())
    }
    fn memo_get(&mut self, key: u64) -> Result<(), PickleError> {
        match self.memo.get(&key) {
            Some(v) => {
                let v = v.clone();
                self.stack.push(v);
                Ok(())
            }
            None => fail(
                self.op_at,
                format!("memo key {key} was never stored (malformed pickle)"),
            ),
        }
    }
    fn memo_put(&mut self, key: u64) -> Result<(), PickleError> {
        let v = self.top()?.clone();
        self.memo.insert(key, v);
        Ok(())
    }
    fn set_items(&mut self, items: Vec<Value>) -> Result<(), PickleError> {
        if items.len() % 2 != 0 {
            return fail(self.op_at, "SETITEMS with an odd number of items");
        }
        let at = self.op_at;
        let Value::Dict(dict) = self.top()? else {
            return fail(at, "SETITEM(S) on something that is not a dict");
        };
        let dict = dict.clone();
        let mut dict = dict.borrow_mut();
        let mut it = items.into_iter();
        while let (Some(k), Some(v)) = (it.next(), it.next()) {
            dict.insert(k, v);
        }
        Ok(())
    }
    fn append(&mut self, items: Vec<Value>) -> Result<(), PickleError> {
        let at = self.op_at;
        let Value::List(list) = self.top()? else {
            return fail(at, "APPEND(S) on something that is not a list");
        };
        list.borrow_mut().0.extend(items);
        Ok(())
    }
    fn push_global(&mut self, module: String, name: String) -> Result<(), PickleError> {
        let g = match (module.as_str(), name.as_str()) {
            ("numpy.core.multiarray" | "numpy._core.multiarray", "_reconstruct") => {
                Global::Reconstruct
            }
            ("numpy", "ndarray") => Global::Ndarray,
            ("numpy", "dtype") => Global::Dtype,
            ("_codecs", "encode") => Global::Encode,
            ("numpy.core.numeric" | "numpy._core.numeric", "_frombuffer") => Global::FromBuffer,
            _ => {
                return Err(PickleError::Forbidden {
                    offset: self.op_at,
                    module,
                    name,
                })
            }
        };
        self.stack.push(Value::Global(g));
        Ok(())
    }

    fn reduce(&mut self) -> Result<(), PickleError> {
        let args = self.pop()?;
        let callable = self.pop()?;
        let Value::Tuple(args) = args else {
            return fail(
                self.op_at,
                format!("REDUCE arguments are {}, not a tuple", args.kind()),
            );
        };
        let value = match callable {
            Value::Global(Global::Reconstruct) => match &args.0[..] {
                [Value::Global(Global::Ndarray), Value::Tuple(_), _] => {
                    Value::Array(Rc::new(RefCell::new(Array::Empty)))
                }
                _ => return fail(
                    self.op_at,
                    "_reconstruct called with unexpected arguments (only numpy.ndarray is rebuilt)",
                ),
            },
            Value::Global(Global::Dtype) => match &args.0[..] {
                [kind, ..] if kind.text().is_some() => Value::Dtype(Rc::new(RefCell::new(Dtype {
                    kind: kind.text().unwrap_or_default(),
                    order: '=',
                }))),
                _ => return fail(self.op_at, "numpy.dtype called without a type string"),
            },
            Value::Global(Global::Encode) => match &args.0[..] {
                [Value::Str(s), Value::Str(codec)] if matches!(&**codec, "latin1" | "latin-1") => {
                    let bytes: Option<Vec<u8>> =
                        s.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect();
                    match bytes {
                        Some(b) => Value::Bytes(b.into()),
                        None => return fail(self.op_at, "_codecs.encode: text is not latin-1"),
                    }
                }
                _ => {
                    return fail(
                        self.op_at,
                        "_codecs.encode is only accepted as encode(text, 'latin1')",
                    )
                }
            },
            // Protocol 5: _frombuffer(buffer, dtype, shape, order)
            Value::Global(Global::FromBuffer) => match &args.0[..] {
                [Value::Bytes(data), Value::Dtype(dtype), Value::Tuple(dims), order] => {
                    let fortran = order.text().as_deref() == Some("F");
                    let shape = shape_of(&dims.0).map_err(|r| Malformed::at(self.op_at, r))?;
                    let array =
                        make_array(data, &dtype.borrow(), &shape, fortran, &mut self.budget)
                            .map_err(|r| Malformed::at(self.op_at, r))?;
                    Value::Array(Rc::new(RefCell::new(array)))
                }
                _ => return fail(self.op_at, "_frombuffer called with unexpected arguments"),
            },
            other => {
                return fail(
                    self.op_at,
                    format!("REDUCE of {} is not supported", other.kind()),
                )
            }
        };
        self.stack.push(value);
        Ok(())
    }

    fn build(&mut self) -> Result<(), PickleError> {
        let state = self.pop()?;
        let target = self.top()?.clone();
        let at = self.op_at;
        let Value::Tuple(state) = state else {
            return fail(at, format!("BUILD state is {}, not a tuple", state.kind()));
        };
        match target {
            Value::Dtype(dtype) => {
                // (version, byte order, subarray, names, fields, elsize, alignment, flags[, metadata])
                let order = state.0.get(1).and_then(Value::text).unwrap_or_default();
                let plain = state
                    .0
                    .get(2..5)
                    .is_some_and(|s| s.iter().all(|v| matches!(v, Value::None)));
                if !plain {
                    return fail(
                        at,
                        "structured or sub-array dtypes are not supported, only plain float arrays",
                    );
                }
                match order.chars().next() {
                    Some(c) if order.len() == 1 => dtype.borrow_mut().order = c,
                    _ => return fail(at, format!("dtype state has byte order {order:?}")),
                }
            }
            Value::Array(array) => {
                // (version, shape, dtype, is_fortran, data), or the older form without version.
                let s = match &state.0[..] {
                    [Value::Int(_), rest @ ..] if rest.len() == 4 => rest,
                    s if s.len() == 4 => s,
                    _ => {
                        return fail(
                            at,
                            format!("array state has {} items, expected 5", state.0.len()),
                        )
                    }
                };
                let Value::Tuple(dims) = &s[0] else {
                    return fail(at, format!("array shape is {}, not a tuple", s[0].kind()));
                };
                let shape = shape_of(&dims.0).map_err(|r| Malformed::at(at, r))?;
                let Value::Dtype(dtype) = &s[1] else {
                    return fail(
                        at,
                        format!("array dtype is {}, not a numpy dtype", s[1].kind()),
                    );
                };
                let fortran = match &s[2] {
                    Value::Bool(b) => *b,
                    Value::Int(n) => *n != 0,
                    v => return fail(at, format!("array is_fortran flag is {}", v.kind())),
                };
                let data: &[u8] = match &s[3] {
                    Value::Bytes(b) => b,
                    v => {
                        return fail(
                            at,
                            format!(
                                "array data is {}, not raw bytes (object arrays are not supported)",
                                v.kind()
                            ),
                        )
                    }
                };
                let built = make_array(data, &dtype.borrow(), &shape, fortran, &mut self.budget)
                    .map_err(|r| Malformed::at(at, r))?;
                *array.borrow_mut() = built;
            }
            other => return fail(at, format!("BUILD of {} is not supported", other.kind())),
        }
        Ok(())
    }

    fn run(&mut self) -> Result<Value, PickleError> {
        loop {
            self.op_at = self.pos as u64;
            if self.pos >= self.bytes.len() {
                return fail(
                    self.op_at,
                    "truncated: the pickle ends without a STOP opcode",
                );
            }
            self.ops += 1;
            if self.ops > MAX_PICKLE_OPCODES {
                return fail(
                    self.op_at,
                    format!(
                        "more than {MAX_PICKLE_OPCODES} opcodes (dlfs_data::MAX_PICKLE_OPCODES): \
                         far more than a dict of arrays needs"
                    ),
                );
            }
            let op = self.u8()?;
            match op {
                0x80 => {
                    let proto = self.u8()?;
                    if proto > 5 {
                        return fail(self.op_at, format!("unknown pickle protocol {proto}"));
                    }
                }
                0x95 => {
                    self.u64()?; // FRAME: a length hint only
                }
                b'.' => return self.pop(),
                b'(' => self.marks.push(self.stack.len()),
                b'0' => {
                    self.pop()?;
                }
                b'1' => {
                    self.pop_mark()?;
                }
                b'2' => {
                    let v = self.top()?.clone();
                    self.stack.push(v);
                }
                b'N' => self.stack.push(Value::None),
                0x88 => self.stack.push(Value::Bool(true)),
                0x89 => self.stack.push(Value::Bool(false)),
                b'K' => {
                    let n = self.u8()?;
                    self.stack.push(Value::Int(n.into()));
                }
                b'M' => {
                    let n = self.u16()?;
                    self.stack.push(Value::Int(n.into()));
                }
                b'J' => {
                    let n = self.u32()? as i32;
                    self.stack.push(Value::Int(n.into()));
                }
                0x8a => {
                    let n = usize::from(self.u8()?);
                    let b = self.take(n)?;
                    if n > 8 {
                        return fail(self.op_at, format!("a {n}-byte integer is too large"));
                    }
                    let mut v: i64 = 0;
                    for (i, &byte) in b.iter().enumerate() {
                        v |= i64::from(byte) << (8 * i);
                    }
                    if n > 0 && n < 8 && b[n - 1] & 0x80 != 0 {
                        v -= 1i64 << (8 * n); // sign-extend
                    }
                    self.stack.push(Value::Int(v));
                }
                b'G' => {
                    self.take(8)?;
                    self.stack.push(Value::Float);
                }
                b'X' | 0x8c | 0x8d => {
                    let n = match op {
                        b'X' => self.u32()? as usize,
                        0x8c => usize::from(self.u8()?),
                        _ => self.len64()?,
                    };
                    let b = self.take(n)?;
                    let Ok(s) = std::str::from_utf8(b) else {
                        return fail(self.op_at, "a str is not valid UTF-8");
                    };
                    self.stack.push(Value::Str(s.into()));
                }
                b'B' | b'C' | 0x8e | 0x96 | b'T' | b'U' => {
                    let n = match op {
                        b'B' => self.u32()? as usize,
                        b'T' => {
                            let n = self.u32()? as i32;
                            usize::try_from(n)
                                .map_err(|_| Malformed::at(self.op_at, "negative string length"))?
                        }
                        b'C' | b'U' => usize::from(self.u8()?),
                        _ => self.len64()?,
                    };
                    let b = self.take(n)?;
                    self.stack.push(Value::Bytes(b.into()));
                }
                b')' => self.stack.push(Value::Tuple(Rc::default())),
                0x85 => self.tuple(1)?,
                0x86 => self.tuple(2)?,
                0x87 => self.tuple(3)?,
                b't' => {
                    let items = self.pop_mark()?;
                    self.stack.push(Value::Tuple(Rc::new(Items(items))));
                }
                b']' => self.stack.push(Value::List(Rc::default())),
                b'l' => {
                    let items = self.pop_mark()?;
                    self.stack
                        .push(Value::List(Rc::new(RefCell::new(Items(items)))));
                }
                b'a' => {
                    let v = self.pop()?;
                    self.append(vec![v])?;
                }
                b'e' => {
                    let items = self.pop_mark()?;
                    self.append(items)?;
                }
                b'}' => self.stack.push(Value::Dict(Rc::default())),
                b'd' => {
                    let items = self.pop_mark()?;
                    self.stack.push(Value::Dict(Rc::default()));
                    self.set_items(items)?;
                }
                b's' => {
                    let v = self.pop()?;
                    let k = self.pop()?;
                    self.set_items(vec![k, v])?;
                }
                b'u' => {
                    let items = self.pop_mark()?;
                    self.set_items(items)?;
                }
                b'q' | b'r' | 0x94 => {
                    let k = match op {
                        b'q' => u64::from(self.u8()?),
                        b'r' => u64::from(self.u32()?),
                        _ => self.memo.len() as u64,
                    };
                    self.memo_put(k)?;
                }
                b'h' | b'j' => {
                    let k = match op {
                        b'h' => u64::from(self.u8()?),
                        _ => u64::from(self.u32()?),
                    };
                    self.memo_get(k)?;
                }
                b'c' => {
                    let module = self.line()?;
                    let name = self.line()?;
                    self.push_global(module, name)?;
                }
                0x93 => {
                    let name = self.pop()?;
                    let module = self.pop()?;
                    let (Value::Str(module), Value::Str(name)) = (module, name) else {
                        return fail(self.op_at, "STACK_GLOBAL needs two strings");
                    };
                    self.push_global(module.to_string(), name.to_string())?;
                }
                b'R' => self.reduce()?,
                b'b' => self.build()?,
                _ => {
                    let shown = if op.is_ascii_graphic() {
                        format!(" (`{}`)", op as char)
                    } else {
                        String::new()
                    };
                    return fail(
                        self.op_at,
                        format!(
                            "pickle opcode 0x{op:02x}{shown} is not supported: this reader only \
                             understands dicts of numpy arrays"
                        ),
                    );
                }
            }
        }
    }
}

/// Runs the pickle and returns its dict of arrays, in the dict's order. The arrays built,
/// and the copies made where the dict lists one array under several names, may hold at
/// most `limit` bytes of `f64` values together.
pub(crate) fn read_arrays(
    bytes: &[u8],
    limit: u64,
) -> Result<Vec<(String, ArrayD<f64>)>, PickleError> {
    if bytes.is_empty() {
        return fail(0, "the file is empty");
    }
    let mut m = Machine {
        bytes,
        pos: 0,
        op_at: 0,
        stack: Vec::new(),
        marks: Vec::new(),
        memo: HashMap::new(),
        ops: 0,
        budget: Budget::new(limit),
    };
    let result = m.run()?;
    let at = m.pos as u64 - 1;
    let mut budget = m.budget;
    // The memo and the stack go first, so that an array the dict alone holds is moved out
    // of it, not copied.
    drop((m.stack, m.memo));
    let Value::Dict(dict) = result else {
        return fail(
            at,
            format!("the pickle holds {}, not a dict of arrays", result.kind()),
        );
    };
    let items = std::mem::take(&mut dict.borrow_mut().items.0);
    let mut arrays = Vec::with_capacity(items.len() / 2);
    let mut it = items.into_iter();
    while let (Some(k), Some(v)) = (it.next(), it.next()) {
        let Some(name) = k.text() else {
            return fail(
                at,
                format!("the dict has a key that is {}, not a str", k.kind()),
            );
        };
        let Value::Array(a) = v else {
            return fail(at, format!("`{name}` is {}, not a numpy array", v.kind()));
        };
        let values = match Rc::try_unwrap(a) {
            Ok(cell) => match cell.into_inner() {
                Array::Built(values) => values,
                Array::Empty => return fail(at, never_filled(&name)),
            },
            Err(shared) => match &*shared.borrow() {
                Array::Built(values) => {
                    let what = format!("a copy of `{name}` (an array listed under several names)");
                    budget
                        .spend(values.len(), &what)
                        .map_err(|r| Malformed::at(at, r))?;
                    values.clone()
                }
                Array::Empty => return fail(at, never_filled(&name)),
            },
        };
        arrays.push((name, values));
    }
    Ok(arrays)
}

fn never_filled(name: &str) -> String {
    format!("`{name}` is an array that was never filled (no BUILD)")
}

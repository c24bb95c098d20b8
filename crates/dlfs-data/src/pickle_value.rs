//! The values a pickle builds: Python's None, numbers, strings, tuples, lists and dicts,
//! and numpy's dtypes and arrays, as [`crate::pickle`] needs them. Tuples, lists and dicts
//! are dropped without recursion, so any nesting depth is safe.

use dlfs::ndarray::ArrayD;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Global {
    Reconstruct,
    Ndarray,
    Dtype,
    Encode,
    FromBuffer,
}

pub(crate) struct Dtype {
    pub kind: String,
    pub order: char,
}

pub(crate) enum Array {
    /// Made by `_reconstruct`, waiting for its BUILD.
    Empty,
    Built(ArrayD<f64>),
}

#[derive(Clone)]
pub(crate) enum Value {
    None,
    Bool(bool),
    Int(i64),
    /// A Python float (read past, never needed for arrays).
    Float,
    Str(Rc<str>),
    Bytes(Rc<[u8]>),
    Tuple(Rc<Items>),
    List(Rc<RefCell<Items>>),
    Dict(Rc<RefCell<Dict>>),
    Global(Global),
    Dtype(Rc<RefCell<Dtype>>),
    Array(Rc<RefCell<Array>>),
}

/// The items of a tuple, list or dict. Dropped with a loop instead of recursion: a value
/// whose last owner this is hands its own items to the loop before it goes.
#[derive(Default)]
pub(crate) struct Items(pub Vec<Value>);

impl Drop for Items {
    fn drop(&mut self) {
        let mut pending = std::mem::take(&mut self.0);
        while let Some(value) = pending.pop() {
            match value {
                Value::Tuple(rc) => {
                    if let Ok(mut items) = Rc::try_unwrap(rc) {
                        pending.append(&mut items.0);
                    }
                }
                Value::List(rc) => {
                    if let Ok(cell) = Rc::try_unwrap(rc) {
                        pending.append(&mut cell.into_inner().0);
                    }
                }
                Value::Dict(rc) => {
                    if let Ok(cell) = Rc::try_unwrap(rc) {
                        pending.append(&mut cell.into_inner().items.0);
                    }
                }
                _ => {}
            }
        }
    }
}

/// A dict: keys and values alternate in `items`, in insertion order; `index` finds the
/// position of a text key.
#[derive(Default)]
pub(crate) struct Dict {
    pub items: Items,
    index: HashMap<String, usize>,
}

impl Dict {
    /// Python's `d[k] = v`: a repeated key replaces the earlier value in place.
    pub fn insert(&mut self, k: Value, v: Value) {
        let Some(text) = k.text() else {
            // Never equal to another key here; refused later, as a key that is not a str.
            self.items.0.extend([k, v]);
            return;
        };
        match self.index.get(&text) {
            Some(&i) => self.items.0[i + 1] = v,
            None => {
                self.index.insert(text, self.items.0.len());
                self.items.0.extend([k, v]);
            }
        }
    }
}

impl Value {
    pub fn kind(&self) -> &'static str {
        match self {
            Value::None => "None",
            Value::Bool(_) => "a bool",
            Value::Int(_) => "an int",
            Value::Float => "a float",
            Value::Str(_) => "a str",
            Value::Bytes(_) => "bytes",
            Value::Tuple(_) => "a tuple",
            Value::List(_) => "a list",
            Value::Dict(_) => "a dict",
            Value::Global(_) => "a global",
            Value::Dtype(_) => "a numpy dtype",
            Value::Array(_) => "a numpy array",
        }
    }

    /// Text, from a `str` or (Python 2) a byte string.
    pub fn text(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.to_string()),
            Value::Bytes(b) => std::str::from_utf8(b).ok().map(str::to_string),
            _ => None,
        }
    }
}

/// Sizes from a pickled shape tuple.
pub(crate) fn shape_of(dims: &[Value]) -> Result<Vec<usize>, String> {
    dims.iter()
        .map(|d| match d {
            Value::Int(n) if *n >= 0 => Ok(*n as usize),
            _ => Err(format!(
                "array shape has a dimension that is {}, not a size",
                d.kind()
            )),
        })
        .collect()
}

;; The battle-dump reader's record scanner (see ./json-scanner.ts, which loads the compiled bytes from
;; ./json-scanner-wasm.ts; `npm run build:wasm` regenerates them, and tests/unit/rating/json-scanner.test.ts
;; checks that they are this file compiled).
;;
;; $scan(start, end, flags, out) reads one JSON object at memory[start, end) (after whitespace) and returns the
;; position after its closing brace, or -1 whenever JSON.parse must decide (invalid JSON, a backslash
;; anywhere, a control byte in a string, nesting past 62 levels, a read field of an unexpected type, or
;; the object not closed before `end`). It validates every byte of the object as JSON.parse would and
;; never accepts what JSON.parse would not. flags: bit 0 = JSONL line (a newline before the closing brace
;; fails: the record must end its line), bit 1 = note conv_metadata's value.
;; For the top-level keys the ratings read it writes, at memory offset `out`, thirteen i32:
;;   0 model_a start, 1 end, 2 FNV-1a hash of its bytes, 3-5 the same for model_b,
;;   6 winner start, 7 end, 8 tstamp number start (-1: absent or null), 9 its end,
;;   10 anony (1 true or absent, 0 false), 11 conv_metadata value start (-1: absent), 12 its end
;;   (the "," or "}" after it); a string's start and end are its contents' (inside the quotes).
;; The last occurrence of a repeated key counts, as in JSON.parse.
;; Memory past `end` must be readable for 128 bytes (the caller's padding); it never affects the result.
;;
;; How: 64-byte blocks are classified with SIMD into bit masks (quotes, structural characters, the other
;; bytes, newlines); a prefix XOR of the quote mask gives the bytes inside strings (no backslash may occur,
;; so every quote opens or closes one); the tokens are then the structural characters outside strings,
;; opening quotes, the first byte of each run of other bytes (a number or literal) and any byte that must
;; fail. A state machine with a stack of open containers walks the tokens in order, checking the grammar,
;; numbers and literals, and stops at the record's closing brace.
(module
  (memory (export "memory") 2)
  ;; Input must start at or after this offset: 0..255 scan's results for the caller, 256..511 the token
  ;; classes, 512..767 the scalar terminators, 1024..65023 scanLines' table of 1000 entries.
  (global (export "inputOffset") i32 (i32.const 65536))

  ;; In-string carry (all ones when the previous block ended inside a string) and the previous block's
  ;; last "other" bit, across the blocks of one scan.
  (global $inString (mut i64) (i64.const 0))
  (global $previousOther (mut i64) (i64.const 0))

  ;; Token classes at 256 + byte: 0 fails, 1 {, 2 }, 3 [, 4 ], 5 :, 6 ",", 7 quote, 8 - or digit,
  ;; 9 t, 10 f, 11 n, 12 newline. Scalar terminators at 512 + byte: whitespace, structural, quote.
  (func $init
    (local $b i32)
    (i32.store8 offset=256 (i32.const 0x7b) (i32.const 1))
    (i32.store8 offset=256 (i32.const 0x7d) (i32.const 2))
    (i32.store8 offset=256 (i32.const 0x5b) (i32.const 3))
    (i32.store8 offset=256 (i32.const 0x5d) (i32.const 4))
    (i32.store8 offset=256 (i32.const 0x3a) (i32.const 5))
    (i32.store8 offset=256 (i32.const 0x2c) (i32.const 6))
    (i32.store8 offset=256 (i32.const 0x22) (i32.const 7))
    (i32.store8 offset=256 (i32.const 0x2d) (i32.const 8))
    (local.set $b (i32.const 0x30))
    (loop $digits
      (i32.store8 offset=256 (local.get $b) (i32.const 8))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br_if $digits (i32.le_u (local.get $b) (i32.const 0x39))))
    (i32.store8 offset=256 (i32.const 0x74) (i32.const 9))
    (i32.store8 offset=256 (i32.const 0x66) (i32.const 10))
    (i32.store8 offset=256 (i32.const 0x6e) (i32.const 11))
    (i32.store8 offset=256 (i32.const 0x0a) (i32.const 12))
    (i32.store8 offset=512 (i32.const 0x20) (i32.const 1))
    (i32.store8 offset=512 (i32.const 0x09) (i32.const 1))
    (i32.store8 offset=512 (i32.const 0x0a) (i32.const 1))
    (i32.store8 offset=512 (i32.const 0x0d) (i32.const 1))
    (i32.store8 offset=512 (i32.const 0x7b) (i32.const 1))
    (i32.store8 offset=512 (i32.const 0x7d) (i32.const 1))
    (i32.store8 offset=512 (i32.const 0x5b) (i32.const 1))
    (i32.store8 offset=512 (i32.const 0x5d) (i32.const 1))
    (i32.store8 offset=512 (i32.const 0x3a) (i32.const 1))
    (i32.store8 offset=512 (i32.const 0x2c) (i32.const 1))
    (i32.store8 offset=512 (i32.const 0x22) (i32.const 1)))
  (start $init)

  ;; Nibble tables: class = lo[byte & 15] & hi[byte >> 4], with bits 0x01 tab/CR, 0x02 space,
  ;; 0x04 ",", 0x08 ":", 0x10 brackets and braces, 0x20 newline, 0x40 quote, 0x80 backslash.
  ;; Class 0 = an "other" byte (digits, letters, control bytes, bytes >= 0x80).

  ;; The token mask of the 64 bytes at $p (bits past `end` cleared); $newlines: all ones in a JSONL line
  ;; (newlines are tokens that fail), 0 in a JSON array (whitespace; one inside a string still fails).
  (func $block (param $p i32) (param $end i32) (param $newlines i64) (result i64)
    (local $v v128) (local $c v128) (local $special v128)
    (local $q i32) (local $q2 i32) (local $op i32) (local $op2 i32) (local $o i32) (local $o2 i32) (local $n i32) (local $n2 i32)
    (local $quotes i64) (local $inside i64) (local $others i64) (local $tokens i64) (local $bad i64) (local $control i64)

    (local.set $v (v128.load offset=0 (local.get $p)))
    (local.set $c (v128.and
      (i8x16.swizzle (v128.const i8x16 0x02 0 0x40 0 0 0 0 0 0 0x01 0x28 0x10 0x84 0x11 0 0) (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
      (i8x16.swizzle (v128.const i8x16 0x21 0 0x46 0x08 0 0x90 0 0x10 0 0 0 0 0 0 0 0) (i8x16.shr_u (local.get $v) (i32.const 4)))))
    (local.set $q (i8x16.bitmask (i8x16.eq (local.get $v) (v128.const i8x16 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34))))
    (local.set $op (i8x16.bitmask (i8x16.ne (v128.and (local.get $c) (v128.const i8x16 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c)) (v128.const i64x2 0 0))))
    (local.set $o (i8x16.bitmask (i8x16.eq (local.get $c) (v128.const i64x2 0 0))))
    (local.set $n (i8x16.bitmask (i8x16.eq (local.get $v) (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10))))
    (local.set $special (v128.or (i8x16.eq (local.get $v) (v128.const i8x16 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92)) (i8x16.lt_u (local.get $v) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))))

    (local.set $v (v128.load offset=16 (local.get $p)))
    (local.set $c (v128.and
      (i8x16.swizzle (v128.const i8x16 0x02 0 0x40 0 0 0 0 0 0 0x01 0x28 0x10 0x84 0x11 0 0) (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
      (i8x16.swizzle (v128.const i8x16 0x21 0 0x46 0x08 0 0x90 0 0x10 0 0 0 0 0 0 0 0) (i8x16.shr_u (local.get $v) (i32.const 4)))))
    (local.set $q (i32.or (local.get $q) (i32.shl (i8x16.bitmask (i8x16.eq (local.get $v) (v128.const i8x16 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34))) (i32.const 16))))
    (local.set $op (i32.or (local.get $op) (i32.shl (i8x16.bitmask (i8x16.ne (v128.and (local.get $c) (v128.const i8x16 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c)) (v128.const i64x2 0 0))) (i32.const 16))))
    (local.set $o (i32.or (local.get $o) (i32.shl (i8x16.bitmask (i8x16.eq (local.get $c) (v128.const i64x2 0 0))) (i32.const 16))))
    (local.set $n (i32.or (local.get $n) (i32.shl (i8x16.bitmask (i8x16.eq (local.get $v) (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10))) (i32.const 16))))
    (local.set $special (v128.or (local.get $special) (v128.or (i8x16.eq (local.get $v) (v128.const i8x16 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92)) (i8x16.lt_u (local.get $v) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)))))

    (local.set $v (v128.load offset=32 (local.get $p)))
    (local.set $c (v128.and
      (i8x16.swizzle (v128.const i8x16 0x02 0 0x40 0 0 0 0 0 0 0x01 0x28 0x10 0x84 0x11 0 0) (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
      (i8x16.swizzle (v128.const i8x16 0x21 0 0x46 0x08 0 0x90 0 0x10 0 0 0 0 0 0 0 0) (i8x16.shr_u (local.get $v) (i32.const 4)))))
    (local.set $q2 (i8x16.bitmask (i8x16.eq (local.get $v) (v128.const i8x16 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34))))
    (local.set $op2 (i8x16.bitmask (i8x16.ne (v128.and (local.get $c) (v128.const i8x16 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c)) (v128.const i64x2 0 0))))
    (local.set $o2 (i8x16.bitmask (i8x16.eq (local.get $c) (v128.const i64x2 0 0))))
    (local.set $n2 (i8x16.bitmask (i8x16.eq (local.get $v) (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10))))
    (local.set $special (v128.or (local.get $special) (v128.or (i8x16.eq (local.get $v) (v128.const i8x16 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92)) (i8x16.lt_u (local.get $v) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)))))

    (local.set $v (v128.load offset=48 (local.get $p)))
    (local.set $c (v128.and
      (i8x16.swizzle (v128.const i8x16 0x02 0 0x40 0 0 0 0 0 0 0x01 0x28 0x10 0x84 0x11 0 0) (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
      (i8x16.swizzle (v128.const i8x16 0x21 0 0x46 0x08 0 0x90 0 0x10 0 0 0 0 0 0 0 0) (i8x16.shr_u (local.get $v) (i32.const 4)))))
    (local.set $q2 (i32.or (local.get $q2) (i32.shl (i8x16.bitmask (i8x16.eq (local.get $v) (v128.const i8x16 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34))) (i32.const 16))))
    (local.set $op2 (i32.or (local.get $op2) (i32.shl (i8x16.bitmask (i8x16.ne (v128.and (local.get $c) (v128.const i8x16 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c 0x1c)) (v128.const i64x2 0 0))) (i32.const 16))))
    (local.set $o2 (i32.or (local.get $o2) (i32.shl (i8x16.bitmask (i8x16.eq (local.get $c) (v128.const i64x2 0 0))) (i32.const 16))))
    (local.set $n2 (i32.or (local.get $n2) (i32.shl (i8x16.bitmask (i8x16.eq (local.get $v) (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10))) (i32.const 16))))
    (local.set $special (v128.or (local.get $special) (v128.or (i8x16.eq (local.get $v) (v128.const i8x16 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92)) (i8x16.lt_u (local.get $v) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)))))

    ;; Inside strings: the prefix XOR of the quotes (an opening quote counts as inside), carried over.
    (local.set $quotes (i64.or (i64.extend_i32_u (local.get $q)) (i64.shl (i64.extend_i32_u (local.get $q2)) (i64.const 32))))
    (local.set $inside (local.get $quotes))
    (local.set $inside (i64.xor (local.get $inside) (i64.shl (local.get $inside) (i64.const 1))))
    (local.set $inside (i64.xor (local.get $inside) (i64.shl (local.get $inside) (i64.const 2))))
    (local.set $inside (i64.xor (local.get $inside) (i64.shl (local.get $inside) (i64.const 4))))
    (local.set $inside (i64.xor (local.get $inside) (i64.shl (local.get $inside) (i64.const 8))))
    (local.set $inside (i64.xor (local.get $inside) (i64.shl (local.get $inside) (i64.const 16))))
    (local.set $inside (i64.xor (local.get $inside) (i64.shl (local.get $inside) (i64.const 32))))
    (local.set $inside (i64.xor (local.get $inside) (global.get $inString)))
    (global.set $inString (i64.shr_s (local.get $inside) (i64.const 63)))

    ;; Other bytes outside strings; a run of them starts a scalar.
    (local.set $others (i64.and
      (i64.or (i64.extend_i32_u (local.get $o)) (i64.shl (i64.extend_i32_u (local.get $o2)) (i64.const 32)))
      (i64.xor (local.get $inside) (i64.const -1))))
    (local.set $tokens (i64.or
      (i64.or
        (i64.and
          (i64.or (i64.extend_i32_u (local.get $op)) (i64.shl (i64.extend_i32_u (local.get $op2)) (i64.const 32)))
          (i64.xor (local.get $inside) (i64.const -1)))
        (i64.and (local.get $quotes) (local.get $inside)))
      (i64.or
        (i64.and (local.get $others) (i64.xor (i64.or (i64.shl (local.get $others) (i64.const 1)) (global.get $previousOther)) (i64.const -1)))
        (i64.and
          (i64.or (i64.extend_i32_u (local.get $n)) (i64.shl (i64.extend_i32_u (local.get $n2)) (i64.const 32)))
          (local.get $newlines)))))
    (global.set $previousOther (i64.shr_u (local.get $others) (i64.const 63)))

    ;; Rare: a backslash anywhere, or a control byte inside a string, is a token that fails.
    (if (v128.any_true (local.get $special))
      (then
        (local.set $bad (i64.or
          (i64.or
            (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (v128.load offset=0 (local.get $p)) (v128.const i8x16 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92))))
            (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (v128.load offset=16 (local.get $p)) (v128.const i8x16 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92)))) (i64.const 16)))
          (i64.or
            (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (v128.load offset=32 (local.get $p)) (v128.const i8x16 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92)))) (i64.const 32))
            (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (v128.load offset=48 (local.get $p)) (v128.const i8x16 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92)))) (i64.const 48)))))
        (local.set $control (i64.or
          (i64.or
            (i64.extend_i32_u (i8x16.bitmask (i8x16.lt_u (v128.load offset=0 (local.get $p)) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))))
            (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.lt_u (v128.load offset=16 (local.get $p)) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)))) (i64.const 16)))
          (i64.or
            (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.lt_u (v128.load offset=32 (local.get $p)) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)))) (i64.const 32))
            (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.lt_u (v128.load offset=48 (local.get $p)) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)))) (i64.const 48)))))
        (local.set $tokens (i64.or (local.get $tokens)
          (i64.or (local.get $bad) (i64.and (local.get $control) (local.get $inside)))))))

    (if (i32.lt_u (i32.sub (local.get $end) (local.get $p)) (i32.const 64))
      (then
        (local.set $tokens (i64.and (local.get $tokens)
          (i64.sub (i64.shl (i64.const 1) (i64.extend_i32_u (i32.sub (local.get $end) (local.get $p)))) (i64.const 1))))))
    (local.get $tokens))

  ;; End of the JSON number at $p (strict grammar), or -1.
  (func $number (param $p i32) (result i32)
    (local $b i32)
    (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 0x2d))
      (then (local.set $p (i32.add (local.get $p) (i32.const 1)))))
    (local.set $b (i32.load8_u (local.get $p)))
    (if (i32.eq (local.get $b) (i32.const 0x30))
      (then (local.set $p (i32.add (local.get $p) (i32.const 1))))
      (else
        (if (i32.gt_u (i32.sub (local.get $b) (i32.const 0x31)) (i32.const 8)) (then (return (i32.const -1))))
        (loop $integer
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br_if $integer (i32.lt_u (i32.sub (i32.load8_u (local.get $p)) (i32.const 0x30)) (i32.const 10))))))
    (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 0x2e))
      (then
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (if (i32.ge_u (i32.sub (i32.load8_u (local.get $p)) (i32.const 0x30)) (i32.const 10)) (then (return (i32.const -1))))
        (loop $fraction
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br_if $fraction (i32.lt_u (i32.sub (i32.load8_u (local.get $p)) (i32.const 0x30)) (i32.const 10))))))
    (if (i32.eq (i32.or (i32.load8_u (local.get $p)) (i32.const 0x20)) (i32.const 0x65))
      (then
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $b (i32.load8_u (local.get $p)))
        (if (i32.or (i32.eq (local.get $b) (i32.const 0x2b)) (i32.eq (local.get $b) (i32.const 0x2d)))
          (then (local.set $p (i32.add (local.get $p) (i32.const 1)))))
        (if (i32.ge_u (i32.sub (i32.load8_u (local.get $p)) (i32.const 0x30)) (i32.const 10)) (then (return (i32.const -1))))
        (loop $exponent
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br_if $exponent (i32.lt_u (i32.sub (i32.load8_u (local.get $p)) (i32.const 0x30)) (i32.const 10))))))
    (local.get $p))

  ;; Which read key the string at $p (its opening quote) is: 1 model_a, 2 model_b, 3 winner, 4 tstamp,
  ;; 5 anony, 6 conv_metadata (with flags bit 1), 0 any other. The closing quote is part of the match.
  (func $key (param $p i32) (param $flags i32) (result i32)
    (local $word i64)
    (local.set $word (i64.load offset=1 (local.get $p)))
    (if (i64.eq (local.get $word) (i64.const 0x22615f6c65646f6d)) (then (return (i32.const 1))))
    (if (i64.eq (local.get $word) (i64.const 0x22625f6c65646f6d)) (then (return (i32.const 2))))
    (if (i64.eq (i64.and (local.get $word) (i64.const 0x00ffffffffffffff)) (i64.const 0x002272656e6e6977)) (then (return (i32.const 3))))
    (if (i64.eq (i64.and (local.get $word) (i64.const 0x00ffffffffffffff)) (i64.const 0x0022706d61747374)) (then (return (i32.const 4))))
    (if (i64.eq (i64.and (local.get $word) (i64.const 0x0000ffffffffffff)) (i64.const 0x000022796e6f6e61)) (then (return (i32.const 5))))
    (if (i32.and
          (i32.and (i32.shr_u (local.get $flags) (i32.const 1)) (i32.const 1))
          (i32.and
            (i64.eq (local.get $word) (i64.const 0x74656d5f766e6f63))
            (i64.eq (i64.and (i64.load offset=9 (local.get $p)) (i64.const 0x0000ffffffffffff)) (i64.const 0x0000226174616461))))
      (then (return (i32.const 6))))
    (i32.const 0))

  (func $scan (param $start i32) (param $end i32) (param $flags i32) (param $out i32) (result i32)
    (local $base i32) (local $bits i64) (local $newlines i64) (local $pos i32) (local $after i32)
    (local $expect i32) (local $depth i32) (local $stack i64) (local $key i32) (local $hash i32) (local $b i32)
    ;; expect: 0 a value, 1 a value or "]", 2 a key or "}", 3 a key, 4 ":", 5 "," or the container's close.
    (i32.store offset=0 (local.get $out) (i32.const -1))
    (i32.store offset=12 (local.get $out) (i32.const -1))
    (i32.store offset=24 (local.get $out) (i32.const -1))
    (i32.store offset=32 (local.get $out) (i32.const -1))
    (i32.store offset=40 (local.get $out) (i32.const 1))
    (i32.store offset=44 (local.get $out) (i32.const -1))
    (if (i32.ge_u (local.get $start) (local.get $end)) (then (return (i32.const -1))))
    (global.set $inString (i64.const 0))
    (global.set $previousOther (i64.const 0))
    (local.set $newlines (select (i64.const -1) (i64.const 0) (i32.and (local.get $flags) (i32.const 1))))
    (local.set $base (local.get $start))
    (local.set $bits (call $block (local.get $base) (local.get $end) (local.get $newlines)))
    (block $fail
      (loop $next
        (block $have
          (loop $refill
            (br_if $have (i64.ne (local.get $bits) (i64.const 0)))
            (local.set $base (i32.add (local.get $base) (i32.const 64)))
            (br_if $fail (i32.ge_u (local.get $base) (local.get $end)))
            (local.set $bits (call $block (local.get $base) (local.get $end) (local.get $newlines)))
            (br $refill)))
        (local.set $pos (i32.add (local.get $base) (i32.wrap_i64 (i64.ctz (local.get $bits)))))
        (local.set $bits (i64.and (local.get $bits) (i64.sub (local.get $bits) (i64.const 1))))
        (block $scalar
        (block $newline
        (block $null
        (block $false
        (block $true
        (block $numeric
        (block $quote
        (block $comma
        (block $colon
        (block $closeArray
        (block $openArray
        (block $closeObject
        (block $openObject
        (block $other
          (br_table $other $openObject $closeObject $openArray $closeArray $colon $comma $quote $numeric $true $false $null $newline
            (i32.load8_u offset=256 (i32.load8_u (local.get $pos)))))
        ;; other
        (br $fail))
        ;; "{": a value; the record itself at depth 0
        (br_if $fail (i32.gt_u (local.get $expect) (i32.const 1)))
        (if (i32.eq (local.get $depth) (i32.const 1))
          (then
            (br_if $fail (i32.lt_u (i32.sub (local.get $key) (i32.const 1)) (i32.const 5)))
            (if (i32.eq (local.get $key) (i32.const 6)) (then (i32.store offset=44 (local.get $out) (local.get $pos))))))
        (br_if $fail (i32.ge_u (local.get $depth) (i32.const 62)))
        (local.set $depth (i32.add (local.get $depth) (i32.const 1)))
        (local.set $stack (i64.and (local.get $stack) (i64.xor (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $depth))) (i64.const -1))))
        (local.set $expect (i32.const 2))
        (br $next))
        ;; "}"
        (br_if $fail (i32.eqz (local.get $depth)))
        (if (i32.eq (local.get $expect) (i32.const 5))
          (then (br_if $fail (i32.wrap_i64 (i64.and (i64.shr_u (local.get $stack) (i64.extend_i32_u (local.get $depth))) (i64.const 1)))))
          (else (br_if $fail (i32.ne (local.get $expect) (i32.const 2)))))
        (if (i32.eq (local.get $depth) (i32.const 1))
          (then
            (if (i32.eq (local.get $key) (i32.const 6)) (then (i32.store offset=48 (local.get $out) (local.get $pos))))
            (return (i32.add (local.get $pos) (i32.const 1)))))
        (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
        (local.set $expect (i32.const 5))
        (br $next))
        ;; "["
        (br_if $fail (i32.gt_u (local.get $expect) (i32.const 1)))
        (br_if $fail (i32.eqz (local.get $depth)))
        (if (i32.eq (local.get $depth) (i32.const 1))
          (then
            (br_if $fail (i32.lt_u (i32.sub (local.get $key) (i32.const 1)) (i32.const 5)))
            (if (i32.eq (local.get $key) (i32.const 6)) (then (i32.store offset=44 (local.get $out) (local.get $pos))))))
        (br_if $fail (i32.ge_u (local.get $depth) (i32.const 62)))
        (local.set $depth (i32.add (local.get $depth) (i32.const 1)))
        (local.set $stack (i64.or (local.get $stack) (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $depth)))))
        (local.set $expect (i32.const 1))
        (br $next))
        ;; "]"
        (br_if $fail (i32.eqz (local.get $depth)))
        (if (i32.eq (local.get $expect) (i32.const 5))
          (then (br_if $fail (i32.eqz (i32.wrap_i64 (i64.and (i64.shr_u (local.get $stack) (i64.extend_i32_u (local.get $depth))) (i64.const 1))))))
          (else (br_if $fail (i32.ne (local.get $expect) (i32.const 1)))))
        (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
        (local.set $expect (i32.const 5))
        (br $next))
        ;; ":"
        (br_if $fail (i32.ne (local.get $expect) (i32.const 4)))
        (local.set $expect (i32.const 0))
        (br $next))
        ;; ","
        (br_if $fail (i32.ne (local.get $expect) (i32.const 5)))
        (if (i32.and (i32.eq (local.get $depth) (i32.const 1)) (i32.eq (local.get $key) (i32.const 6)))
          (then (i32.store offset=48 (local.get $out) (local.get $pos))))
        (local.set $expect
          (select (i32.const 0) (i32.const 3)
            (i32.wrap_i64 (i64.and (i64.shr_u (local.get $stack) (i64.extend_i32_u (local.get $depth))) (i64.const 1)))))
        (br $next))
        ;; a quote: a key, or a string value
        (if (i32.lt_u (i32.sub (local.get $expect) (i32.const 2)) (i32.const 2))
          (then
            (if (i32.eq (local.get $depth) (i32.const 1))
              (then (local.set $key (call $key (local.get $pos) (local.get $flags)))))
            ;; The usual next token, ":", taken at once when it is in this block.
            (if (i64.ne (local.get $bits) (i64.const 0))
              (then
                (if (i32.eq (i32.load8_u (i32.add (local.get $base) (i32.wrap_i64 (i64.ctz (local.get $bits))))) (i32.const 0x3a))
                  (then
                    (local.set $bits (i64.and (local.get $bits) (i64.sub (local.get $bits) (i64.const 1))))
                    (local.set $expect (i32.const 0))
                    (br $next)))))
            (local.set $expect (i32.const 4))
            (br $next)))
        (br_if $fail (i32.gt_u (local.get $expect) (i32.const 1)))
        (br_if $fail (i32.eqz (local.get $depth)))
        (if (i32.eq (local.get $depth) (i32.const 1))
          (then
            (if (i32.lt_u (i32.sub (local.get $key) (i32.const 1)) (i32.const 3))
              (then
                ;; model_a, model_b or winner: the contents' end and FNV-1a hash
                (local.set $after (i32.add (local.get $pos) (i32.const 1)))
                (local.set $hash (i32.const 0x811c9dc5))
                (block $closed
                  (loop $contents
                    (br_if $fail (i32.ge_u (local.get $after) (local.get $end)))
                    (local.set $b (i32.load8_u (local.get $after)))
                    (br_if $closed (i32.eq (local.get $b) (i32.const 0x22)))
                    (br_if $fail (i32.or (i32.eq (local.get $b) (i32.const 0x5c)) (i32.lt_u (local.get $b) (i32.const 0x20))))
                    (local.set $hash (i32.mul (i32.xor (local.get $hash) (local.get $b)) (i32.const 0x01000193)))
                    (local.set $after (i32.add (local.get $after) (i32.const 1)))
                    (br $contents)))
                ;; slots 0-2 (model_a), 3-5 (model_b), 6-7 (winner): 12 bytes apart
                (local.set $b (i32.add (local.get $out) (i32.mul (i32.sub (local.get $key) (i32.const 1)) (i32.const 12))))
                (i32.store offset=0 (local.get $b) (i32.add (local.get $pos) (i32.const 1)))
                (i32.store offset=4 (local.get $b) (local.get $after))
                (if (i32.lt_u (local.get $key) (i32.const 3))
                  (then (i32.store offset=8 (local.get $b) (local.get $hash))))))
            (br_if $fail (i32.lt_u (i32.sub (local.get $key) (i32.const 4)) (i32.const 2)))
            (if (i32.eq (local.get $key) (i32.const 6)) (then (i32.store offset=44 (local.get $out) (local.get $pos))))))
        (local.set $expect (i32.const 5))
        (br $next))
        ;; "-" or a digit
        (br_if $fail (i32.gt_u (local.get $expect) (i32.const 1)))
        (br_if $fail (i32.eqz (local.get $depth)))
        ;; A single digit (the usual count) without the call.
        (local.set $after (i32.add (local.get $pos) (i32.const 1)))
        (if (i32.or
              (i32.ge_u (i32.sub (i32.load8_u (local.get $pos)) (i32.const 0x30)) (i32.const 10))
              (i32.eqz (i32.load8_u offset=512 (i32.load8_u (local.get $after)))))
          (then
            (local.set $after (call $number (local.get $pos)))
            (br_if $fail (i32.lt_s (local.get $after) (i32.const 0)))))
        (if (i32.eq (local.get $depth) (i32.const 1))
          (then
            (br_if $fail (i32.lt_u (i32.sub (local.get $key) (i32.const 1)) (i32.const 3)))
            (br_if $fail (i32.eq (local.get $key) (i32.const 5)))
            (if (i32.eq (local.get $key) (i32.const 4))
              (then
                (i32.store offset=32 (local.get $out) (local.get $pos))
                (i32.store offset=36 (local.get $out) (local.get $after))))))
        (br $scalar))
        ;; "true"
        (br_if $fail (i32.ne (i32.load (local.get $pos)) (i32.const 0x65757274)))
        (local.set $after (i32.add (local.get $pos) (i32.const 4)))
        (br_if $fail (i32.and (i32.eq (local.get $depth) (i32.const 1)) (i32.eq (local.get $key) (i32.const 4))))
        (if (i32.and (i32.eq (local.get $depth) (i32.const 1)) (i32.eq (local.get $key) (i32.const 5)))
          (then (i32.store offset=40 (local.get $out) (i32.const 1))))
        (br $scalar))
        ;; "false"
        (br_if $fail (i32.ne (i32.load offset=1 (local.get $pos)) (i32.const 0x65736c61)))
        (local.set $after (i32.add (local.get $pos) (i32.const 5)))
        (br_if $fail (i32.and (i32.eq (local.get $depth) (i32.const 1)) (i32.eq (local.get $key) (i32.const 4))))
        (if (i32.and (i32.eq (local.get $depth) (i32.const 1)) (i32.eq (local.get $key) (i32.const 5)))
          (then (i32.store offset=40 (local.get $out) (i32.const 0))))
        (br $scalar))
        ;; "null"
        (br_if $fail (i32.ne (i32.load (local.get $pos)) (i32.const 0x6c6c756e)))
        (local.set $after (i32.add (local.get $pos) (i32.const 4)))
        (br_if $fail (i32.and (i32.eq (local.get $depth) (i32.const 1)) (i32.eq (local.get $key) (i32.const 5))))
        (if (i32.and (i32.eq (local.get $depth) (i32.const 1)) (i32.eq (local.get $key) (i32.const 4)))
          (then (i32.store offset=32 (local.get $out) (i32.const -1))))
        (br $scalar))
        ;; a newline in a JSONL record, or inside a string
        (br $fail))
      ;; after a number or literal at $pos..$after: it was a value, is not model_a/model_b/winner, and ends there
      (br_if $fail (i32.gt_u (local.get $expect) (i32.const 1)))
      (br_if $fail (i32.eqz (local.get $depth)))
      (br_if $fail (i32.eqz (i32.load8_u offset=512 (i32.load8_u (local.get $after)))))
      (if (i32.eq (local.get $depth) (i32.const 1))
        (then
          (br_if $fail (i32.lt_u (i32.sub (local.get $key) (i32.const 1)) (i32.const 3)))
          (if (i32.eq (local.get $key) (i32.const 6)) (then (i32.store offset=44 (local.get $out) (local.get $pos))))))
      (local.set $expect (i32.const 5))
      (br $next)))
    (i32.const -1))

  ;; Which winner the string contents [$start, $end) are: 0 model_a, 1 model_b, 2 tie, 3 tie (bothbad),
  ;; 4 both_bad, -1 any other. Loads past $end stay inside the record or its padding and are masked.
  (func $winner (param $start i32) (param $end i32) (result i32)
    (local $length i32) (local $word i64)
    (local.set $length (i32.sub (local.get $end) (local.get $start)))
    (local.set $word (i64.load (local.get $start)))
    (if (i32.eq (local.get $length) (i32.const 7))
      (then
        (local.set $word (i64.and (local.get $word) (i64.const 0x00ffffffffffffff)))
        (if (i64.eq (local.get $word) (i64.const 0x00615f6c65646f6d)) (then (return (i32.const 0))))
        (if (i64.eq (local.get $word) (i64.const 0x00625f6c65646f6d)) (then (return (i32.const 1))))
        (return (i32.const -1))))
    (if (i32.eq (local.get $length) (i32.const 3))
      (then (return (select (i32.const 2) (i32.const -1) (i64.eq (i64.and (local.get $word) (i64.const 0xffffff)) (i64.const 0x656974))))))
    (if (i32.eq (local.get $length) (i32.const 13))
      (then
        (return (select (i32.const 3) (i32.const -1)
          (i32.and
            (i64.eq (local.get $word) (i64.const 0x746f622820656974))
            (i64.eq (i64.load offset=5 (local.get $start)) (i64.const 0x2964616268746f62)))))))
    (if (i32.eq (local.get $length) (i32.const 8))
      (then (return (select (i32.const 4) (i32.const -1) (i64.eq (local.get $word) (i64.const 0x6461625f68746f62))))))
    (i32.const -1))

  ;; Scans consecutive JSONL records from $start, each an object that scan accepts followed by spaces,
  ;; tabs or carriage returns and a newline before $end, into the entries of the output table (at
  ;; 1024, 64 bytes each: scan's thirteen results, then 13 the winner's code from $winner, 14 the
  ;; position after the newline); stops at the first line that is not such a record, or when the table
  ;; is full. Returns the number of entries. The caller reads the stopping line another way.
  (func (export "scanLines") (param $start i32) (param $end i32) (param $flags i32) (result i32)
    (local $count i32) (local $out i32) (local $after i32) (local $b i32)
    (local.set $out (i32.const 1024))
    (block $stop
      (loop $lines
        (br_if $stop (i32.ge_u (local.get $count) (i32.const 1000)))
        (local.set $after (call $scan (local.get $start) (local.get $end) (i32.or (local.get $flags) (i32.const 1)) (local.get $out)))
        (br_if $stop (i32.lt_s (local.get $after) (i32.const 0)))
        (block $spaces
          (loop $trailing
            (br_if $stop (i32.ge_u (local.get $after) (local.get $end)))
            (local.set $b (i32.load8_u (local.get $after)))
            (br_if $spaces (i32.eq (local.get $b) (i32.const 0x0a)))
            (br_if $stop (i32.eqz (i32.or (i32.or (i32.eq (local.get $b) (i32.const 0x20)) (i32.eq (local.get $b) (i32.const 0x09))) (i32.eq (local.get $b) (i32.const 0x0d)))))
            (local.set $after (i32.add (local.get $after) (i32.const 1)))
            (br $trailing)))
        (i32.store offset=52 (local.get $out)
          (if (result i32) (i32.ge_s (i32.load offset=24 (local.get $out)) (i32.const 0))
            (then (call $winner (i32.load offset=24 (local.get $out)) (i32.load offset=28 (local.get $out))))
            (else (i32.const -1))))
        (local.set $start (i32.add (local.get $after) (i32.const 1)))
        (i32.store offset=56 (local.get $out) (local.get $start))
        (local.set $out (i32.add (local.get $out) (i32.const 64)))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))
        (br $lines)))
    (local.get $count))

  ;; One record: $scan's results at 0, and the winner's code (see $winner) at 52.
  (func (export "scanRecord") (param $start i32) (param $end i32) (param $flags i32) (result i32)
    (local $after i32)
    (local.set $after (call $scan (local.get $start) (local.get $end) (local.get $flags) (i32.const 0)))
    (i32.store offset=52 (i32.const 0)
      (if (result i32) (i32.ge_s (i32.load offset=24 (i32.const 0)) (i32.const 0))
        (then (call $winner (i32.load offset=24 (i32.const 0)) (i32.load offset=28 (i32.const 0))))
        (else (i32.const -1))))
    (local.get $after))
)

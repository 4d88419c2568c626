(module
  (type $t0 (func (param i32 i32 i32 i32 i32 i32 i32) (result f64)))
  (type $t1 (func (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 f64 f64) (result i32)))
  (type $t2 (func (param i32 i32 i32 i32 i32) (result f64)))
  (type $t3 (func (param i32 i32 i32 i32) (result f64)))
  (type $t4 (func (param i32 i32 i32 i32 i32)))
  (import "env" "memory" (memory $env.memory 1))
  (func $nearestAll (export "nearestAll") (type $t0) (param $p0 i32) (param $p1 i32) (param $p2 i32) (param $p3 i32) (param $p4 i32) (param $p5 i32) (param $p6 i32) (result f64)
    (local $l7 i32) (local $l8 i32) (local $l9 i32) (local $l10 i32) (local $l11 i32) (local $l12 i32) (local $l13 i64) (local $l14 i64) (local $l15 i64) (local $l16 f64) (local $l17 f64) (local $l18 f64) (local $l19 v128) (local $l20 v128)
    f64.const 0x0p+0 (;=0;)
    local.set $l18
    i32.const 0
    local.set $l7
    local.get $p0
    local.set $l8
    block $B0
      local.get $p1
      i32.const 1
      i32.lt_s
      br_if $B0
      loop $L1
        i32.const 0
        local.set $l9
        f64.const inf (;=inf;)
        i64.reinterpret_f64
        local.tee $l13
        local.set $l14
        i32.const 0
        local.set $l10
        local.get $p2
        local.set $l11
        loop $L2
          local.get $l8
          v128.load align=4
          local.get $l11
          v128.load align=4
          f64x2.sub
          local.tee $l20
          local.get $l20
          f64x2.mul
          local.set $l19
          local.get $l19
          f64x2.extract_lane 0
          local.get $l19
          f64x2.extract_lane 1
          f64.add
          i64.reinterpret_f64
          local.set $l15
          local.get $l15
          local.get $l13
          i64.lt_s
          local.set $l12
          local.get $l13
          local.get $l15
          local.get $l14
          local.get $l15
          local.get $l14
          i64.lt_s
          select
          local.get $l12
          select
          local.set $l14
          local.get $l15
          local.get $l13
          local.get $l12
          select
          local.set $l13
          local.get $l10
          local.get $l9
          local.get $l12
          select
          local.set $l9
          local.get $l11
          i32.const 16
          i32.add
          local.set $l11
          local.get $l10
          i32.const 1
          i32.add
          local.tee $l10
          local.get $p3
          i32.lt_s
          br_if $L2
        end
        local.get $p4
        local.get $l7
        i32.const 2
        i32.shl
        i32.add
        local.get $l9
        i32.store
        local.get $p5
        local.get $l7
        i32.const 3
        i32.shl
        i32.add
        local.get $l13
        f64.reinterpret_i64
        f64.sqrt
        f64.store
        local.get $p6
        local.get $l7
        i32.const 3
        i32.shl
        i32.add
        local.get $l14
        f64.reinterpret_i64
        f64.sqrt
        f64.store
        local.get $l18
        local.get $l13
        f64.reinterpret_i64
        f64.add
        local.set $l18
        local.get $l8
        i32.const 16
        i32.add
        local.set $l8
        local.get $l7
        i32.const 1
        i32.add
        local.tee $l7
        local.get $p1
        i32.lt_s
        br_if $L1
      end
    end
    local.get $l18)
  (func $hamerly (export "hamerly") (type $t1) (param $p0 i32) (param $p1 i32) (param $p2 i32) (param $p3 i32) (param $p4 i32) (param $p5 i32) (param $p6 i32) (param $p7 i32) (param $p8 i32) (param $p9 i32) (param $p10 f64) (param $p11 f64) (result i32)
    (local $l12 i32) (local $l13 i32) (local $l14 i32) (local $l15 i32) (local $l16 i32) (local $l17 i32) (local $l18 i64) (local $l19 i64) (local $l20 i64) (local $l21 f64) (local $l22 f64) (local $l23 f64) (local $l24 v128) (local $l25 v128) (local $l26 i32) (local $l27 i32) (local $l28 f64) (local $l29 f64) (local $l30 f64) (local $l31 i32) (local $l32 i32)
    i32.const 0
    local.set $l27
    i32.const 0
    local.set $l12
    local.get $p0
    local.set $l13
    block $B0
      local.get $p1
      i32.const 1
      i32.lt_s
      br_if $B0
      loop $L1
        block $B2
          local.get $p4
          local.get $l12
          i32.const 2
          i32.shl
          i32.add
          local.tee $l31
          i32.load
          local.set $l26
          local.get $l12
          i32.const 3
          i32.shl
          local.set $l32
          local.get $p5
          local.get $l32
          i32.add
          local.get $p5
          local.get $l32
          i32.add
          f64.load
          local.get $p8
          local.get $l26
          i32.const 3
          i32.shl
          i32.add
          f64.load
          f64.add
          local.tee $l29
          f64.store
          local.get $p6
          local.get $l32
          i32.add
          local.get $p6
          local.get $l32
          i32.add
          f64.load
          local.get $p11
          local.get $p10
          local.get $l26
          local.get $p9
          i32.eq
          select
          f64.sub
          local.tee $l30
          f64.store
          local.get $p7
          local.get $l26
          i32.const 3
          i32.shl
          i32.add
          f64.load
          local.set $l28
          local.get $l28
          local.get $l30
          local.get $l28
          local.get $l30
          f64.gt
          select
          local.set $l28
          local.get $l29
          local.get $l28
          f64.le
          br_if $B2
          local.get $p2
          local.get $l26
          i32.const 16
          i32.mul
          i32.add
          local.set $l16
          local.get $l13
          v128.load align=4
          local.get $l16
          v128.load align=4
          f64x2.sub
          local.tee $l25
          local.get $l25
          f64x2.mul
          local.set $l24
          local.get $l24
          f64x2.extract_lane 0
          local.get $l24
          f64x2.extract_lane 1
          f64.add
          f64.sqrt
          local.set $l29
          local.get $p5
          local.get $l32
          i32.add
          local.get $l29
          f64.store
          local.get $l29
          local.get $l28
          f64.le
          br_if $B2
          i32.const 0
          local.set $l14
          f64.const inf (;=inf;)
          i64.reinterpret_f64
          local.tee $l18
          local.set $l19
          i32.const 0
          local.set $l15
          local.get $p2
          local.set $l16
          loop $L3
            local.get $l13
            v128.load align=4
            local.get $l16
            v128.load align=4
            f64x2.sub
            local.tee $l25
            local.get $l25
            f64x2.mul
            local.set $l24
            local.get $l24
            f64x2.extract_lane 0
            local.get $l24
            f64x2.extract_lane 1
            f64.add
            i64.reinterpret_f64
            local.set $l20
            local.get $l20
            local.get $l18
            i64.lt_s
            local.set $l17
            local.get $l18
            local.get $l20
            local.get $l19
            local.get $l20
            local.get $l19
            i64.lt_s
            select
            local.get $l17
            select
            local.set $l19
            local.get $l20
            local.get $l18
            local.get $l17
            select
            local.set $l18
            local.get $l15
            local.get $l14
            local.get $l17
            select
            local.set $l14
            local.get $l16
            i32.const 16
            i32.add
            local.set $l16
            local.get $l15
            i32.const 1
            i32.add
            local.tee $l15
            local.get $p3
            i32.lt_s
            br_if $L3
          end
          local.get $l31
          local.get $l14
          i32.store
          local.get $p5
          local.get $l32
          i32.add
          local.get $l18
          f64.reinterpret_i64
          f64.sqrt
          f64.store
          local.get $p6
          local.get $l32
          i32.add
          local.get $l19
          f64.reinterpret_i64
          f64.sqrt
          f64.store
          local.get $l27
          local.get $l14
          local.get $l26
          i32.ne
          i32.add
          local.set $l27
        end
        local.get $l13
        i32.const 16
        i32.add
        local.set $l13
        local.get $l12
        i32.const 1
        i32.add
        local.tee $l12
        local.get $p1
        i32.lt_s
        br_if $L1
      end
    end
    local.get $l27)
  (func $potential (export "potential") (type $t2) (param $p0 i32) (param $p1 i32) (param $p2 i32) (param $p3 i32) (param $p4 i32) (result f64)
    (local $l5 i32) (local $l6 i32) (local $l7 i32) (local $l8 i32) (local $l9 i32) (local $l10 i32) (local $l11 i64) (local $l12 i64) (local $l13 i64) (local $l14 f64) (local $l15 f64) (local $l16 f64) (local $l17 v128) (local $l18 v128) (local $l19 f64)
    f64.const 0x0p+0 (;=0;)
    local.set $l16
    i32.const 0
    local.set $l5
    local.get $p0
    local.set $l6
    block $B0
      local.get $p1
      i32.const 1
      i32.lt_s
      br_if $B0
      loop $L1
        local.get $l6
        v128.load align=4
        local.get $p2
        v128.load align=4
        f64x2.sub
        local.tee $l18
        local.get $l18
        f64x2.mul
        local.set $l17
        local.get $l17
        f64x2.extract_lane 0
        local.get $l17
        f64x2.extract_lane 1
        f64.add
        local.set $l14
        local.get $p3
        local.get $l5
        i32.const 3
        i32.shl
        i32.add
        f64.load
        local.set $l19
        local.get $l14
        i64.reinterpret_f64
        local.get $l19
        i64.reinterpret_f64
        local.get $l14
        i64.reinterpret_f64
        local.get $l19
        i64.reinterpret_f64
        i64.lt_s
        select
        f64.reinterpret_i64
        local.set $l15
        local.get $p4
        local.get $l5
        i32.const 3
        i32.shl
        i32.add
        local.get $l15
        f64.store
        local.get $l16
        local.get $l15
        f64.add
        local.set $l16
        local.get $l6
        i32.const 16
        i32.add
        local.set $l6
        local.get $l5
        i32.const 1
        i32.add
        local.tee $l5
        local.get $p1
        i32.lt_s
        br_if $L1
      end
    end
    local.get $l16)
  (func $inertia (export "inertia") (type $t3) (param $p0 i32) (param $p1 i32) (param $p2 i32) (param $p3 i32) (result f64)
    (local $l4 i32) (local $l5 i32) (local $l6 i32) (local $l7 i32) (local $l8 i32) (local $l9 i32) (local $l10 i64) (local $l11 i64) (local $l12 i64) (local $l13 f64) (local $l14 f64) (local $l15 f64) (local $l16 v128) (local $l17 v128)
    f64.const 0x0p+0 (;=0;)
    local.set $l15
    i32.const 0
    local.set $l4
    local.get $p0
    local.set $l5
    block $B0
      local.get $p1
      i32.const 1
      i32.lt_s
      br_if $B0
      loop $L1
        local.get $p2
        local.get $p3
        local.get $l4
        i32.const 2
        i32.shl
        i32.add
        i32.load
        i32.const 16
        i32.mul
        i32.add
        local.set $l8
        local.get $l5
        v128.load align=4
        local.get $l8
        v128.load align=4
        f64x2.sub
        local.tee $l17
        local.get $l17
        f64x2.mul
        local.set $l16
        local.get $l16
        f64x2.extract_lane 0
        local.get $l16
        f64x2.extract_lane 1
        f64.add
        local.get $l15
        f64.add
        local.set $l15
        local.get $l5
        i32.const 16
        i32.add
        local.set $l5
        local.get $l4
        i32.const 1
        i32.add
        local.tee $l4
        local.get $p1
        i32.lt_s
        br_if $L1
      end
    end
    local.get $l15)
  (func $accumulate (export "accumulate") (type $t4) (param $p0 i32) (param $p1 i32) (param $p2 i32) (param $p3 i32) (param $p4 i32)
    (local $l5 i32) (local $l6 i32) (local $l7 i32) (local $l8 i32)
    i32.const 0
    local.set $l5
    local.get $p0
    local.set $l6
    block $B0
      local.get $p1
      i32.const 1
      i32.lt_s
      br_if $B0
      loop $L1
        local.get $p2
        local.get $l5
        i32.const 2
        i32.shl
        i32.add
        i32.load
        local.set $l7
        local.get $p4
        local.get $l7
        i32.const 2
        i32.shl
        i32.add
        local.tee $l8
        local.get $l8
        i32.load
        i32.const 1
        i32.add
        i32.store
        local.get $p3
        local.get $l7
        i32.const 16
        i32.mul
        i32.add
        local.set $l8
        local.get $l8
        local.get $l8
        v128.load align=4
        local.get $l6
        v128.load align=4
        f64x2.add
        v128.store align=4
        local.get $l6
        i32.const 16
        i32.add
        local.set $l6
        local.get $l5
        i32.const 1
        i32.add
        local.tee $l5
        local.get $p1
        i32.lt_s
        br_if $L1
      end
    end))

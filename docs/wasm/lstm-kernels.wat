(module
  (type $t0 (func (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))
  (type $t1 (func (param i32 i32 i32 i32 i32 i32 i32)))
  (type $t2 (func (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (type $t3 (func (param i32 i32 i32 i32 i32 f32 f32 f32 f32 f32 f32)))
  (import "env" "memory" (memory $env.memory 1))
  (func $gemm (export "gemm") (type $t0) (param $p0 i32) (param $p1 i32) (param $p2 i32) (param $p3 i32) (param $p4 i32) (param $p5 i32) (param $p6 i32) (param $p7 i32) (param $p8 i32) (param $p9 i32) (param $p10 i32) (param $p11 i32) (param $p12 i32)
    (local $l13 i32) (local $l14 i32) (local $l15 i32) (local $l16 i32) (local $l17 i32) (local $l18 i32) (local $l19 i32) (local $l20 i32) (local $l21 v128) (local $l22 v128) (local $l23 v128) (local $l24 v128) (local $l25 v128) (local $l26 v128) (local $l27 v128) (local $l28 v128) (local $l29 v128) (local $l30 v128) (local $l31 v128) (local $l32 i32)
    i32.const 0
    local.set $l13
    block $B0
      loop $L1
        local.get $l13
        i32.const 4
        i32.add
        local.get $p0
        i32.gt_s
        br_if $B0
        i32.const 0
        local.set $l14
        block $B2
          loop $L3
            local.get $l14
            i32.const 8
            i32.add
            local.get $p1
            i32.gt_s
            br_if $B2
            local.get $p3
            local.get $l13
            i32.const 0
            i32.add
            local.get $p4
            i32.mul
            i32.add
            local.set $l17
            local.get $p12
            i32.eqz
            if $I4
              v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
              local.set $l21
            else
              local.get $p10
              local.get $l13
              i32.const 0
              i32.add
              local.get $p11
              i32.mul
              i32.add
              local.get $l14
              i32.const 2
              i32.shl
              i32.add
              v128.load align=4
              local.set $l21
            end
            local.get $p12
            i32.eqz
            if $I5
              v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
              local.set $l22
            else
              local.get $p10
              local.get $l13
              i32.const 0
              i32.add
              local.get $p11
              i32.mul
              i32.add
              local.get $l14
              i32.const 2
              i32.shl
              i32.add
              v128.load offset=16 align=4
              local.set $l22
            end
            local.get $p3
            local.get $l13
            i32.const 1
            i32.add
            local.get $p4
            i32.mul
            i32.add
            local.set $l18
            local.get $p12
            i32.eqz
            if $I6
              v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
              local.set $l23
            else
              local.get $p10
              local.get $l13
              i32.const 1
              i32.add
              local.get $p11
              i32.mul
              i32.add
              local.get $l14
              i32.const 2
              i32.shl
              i32.add
              v128.load align=4
              local.set $l23
            end
            local.get $p12
            i32.eqz
            if $I7
              v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
              local.set $l24
            else
              local.get $p10
              local.get $l13
              i32.const 1
              i32.add
              local.get $p11
              i32.mul
              i32.add
              local.get $l14
              i32.const 2
              i32.shl
              i32.add
              v128.load offset=16 align=4
              local.set $l24
            end
            local.get $p3
            local.get $l13
            i32.const 2
            i32.add
            local.get $p4
            i32.mul
            i32.add
            local.set $l19
            local.get $p12
            i32.eqz
            if $I8
              v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
              local.set $l25
            else
              local.get $p10
              local.get $l13
              i32.const 2
              i32.add
              local.get $p11
              i32.mul
              i32.add
              local.get $l14
              i32.const 2
              i32.shl
              i32.add
              v128.load align=4
              local.set $l25
            end
            local.get $p12
            i32.eqz
            if $I9
              v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
              local.set $l26
            else
              local.get $p10
              local.get $l13
              i32.const 2
              i32.add
              local.get $p11
              i32.mul
              i32.add
              local.get $l14
              i32.const 2
              i32.shl
              i32.add
              v128.load offset=16 align=4
              local.set $l26
            end
            local.get $p3
            local.get $l13
            i32.const 3
            i32.add
            local.get $p4
            i32.mul
            i32.add
            local.set $l20
            local.get $p12
            i32.eqz
            if $I10
              v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
              local.set $l27
            else
              local.get $p10
              local.get $l13
              i32.const 3
              i32.add
              local.get $p11
              i32.mul
              i32.add
              local.get $l14
              i32.const 2
              i32.shl
              i32.add
              v128.load align=4
              local.set $l27
            end
            local.get $p12
            i32.eqz
            if $I11
              v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
              local.set $l28
            else
              local.get $p10
              local.get $l13
              i32.const 3
              i32.add
              local.get $p11
              i32.mul
              i32.add
              local.get $l14
              i32.const 2
              i32.shl
              i32.add
              v128.load offset=16 align=4
              local.set $l28
            end
            local.get $p4
            i32.const 4
            i32.eq
            if $I12
              local.get $p6
              local.get $l14
              i32.const 2
              i32.shl
              i32.add
              local.set $l16
              local.get $p2
              local.set $l15
              block $B13
                local.get $l15
                i32.eqz
                br_if $B13
                loop $L14
                  local.get $l16
                  v128.load align=4
                  local.set $l29
                  local.get $l16
                  v128.load offset=16 align=4
                  local.set $l30
                  local.get $l17
                  v128.load32_splat
                  local.set $l31
                  local.get $l21
                  local.get $l31
                  local.get $l29
                  f32x4.mul
                  f32x4.add
                  local.set $l21
                  local.get $l22
                  local.get $l31
                  local.get $l30
                  f32x4.mul
                  f32x4.add
                  local.set $l22
                  local.get $l17
                  v128.load32_splat offset=4
                  local.set $l31
                  local.get $l23
                  local.get $l31
                  local.get $l29
                  f32x4.mul
                  f32x4.add
                  local.set $l23
                  local.get $l24
                  local.get $l31
                  local.get $l30
                  f32x4.mul
                  f32x4.add
                  local.set $l24
                  local.get $l17
                  v128.load32_splat offset=8
                  local.set $l31
                  local.get $l25
                  local.get $l31
                  local.get $l29
                  f32x4.mul
                  f32x4.add
                  local.set $l25
                  local.get $l26
                  local.get $l31
                  local.get $l30
                  f32x4.mul
                  f32x4.add
                  local.set $l26
                  local.get $l17
                  v128.load32_splat offset=12
                  local.set $l31
                  local.get $l27
                  local.get $l31
                  local.get $l29
                  f32x4.mul
                  f32x4.add
                  local.set $l27
                  local.get $l28
                  local.get $l31
                  local.get $l30
                  f32x4.mul
                  f32x4.add
                  local.set $l28
                  local.get $l17
                  local.get $p5
                  i32.add
                  local.set $l17
                  local.get $l16
                  local.get $p7
                  i32.add
                  local.set $l16
                  local.get $l15
                  i32.const 1
                  i32.sub
                  local.tee $l15
                  br_if $L14
                end
              end
            else
              local.get $p6
              local.get $l14
              i32.const 2
              i32.shl
              i32.add
              local.set $l16
              local.get $p2
              local.set $l15
              block $B15
                local.get $l15
                i32.eqz
                br_if $B15
                loop $L16
                  local.get $l16
                  v128.load align=4
                  local.set $l29
                  local.get $l16
                  v128.load offset=16 align=4
                  local.set $l30
                  local.get $l17
                  v128.load32_splat
                  local.set $l31
                  local.get $l21
                  local.get $l31
                  local.get $l29
                  f32x4.mul
                  f32x4.add
                  local.set $l21
                  local.get $l22
                  local.get $l31
                  local.get $l30
                  f32x4.mul
                  f32x4.add
                  local.set $l22
                  local.get $l17
                  local.get $p5
                  i32.add
                  local.set $l17
                  local.get $l18
                  v128.load32_splat
                  local.set $l31
                  local.get $l23
                  local.get $l31
                  local.get $l29
                  f32x4.mul
                  f32x4.add
                  local.set $l23
                  local.get $l24
                  local.get $l31
                  local.get $l30
                  f32x4.mul
                  f32x4.add
                  local.set $l24
                  local.get $l18
                  local.get $p5
                  i32.add
                  local.set $l18
                  local.get $l19
                  v128.load32_splat
                  local.set $l31
                  local.get $l25
                  local.get $l31
                  local.get $l29
                  f32x4.mul
                  f32x4.add
                  local.set $l25
                  local.get $l26
                  local.get $l31
                  local.get $l30
                  f32x4.mul
                  f32x4.add
                  local.set $l26
                  local.get $l19
                  local.get $p5
                  i32.add
                  local.set $l19
                  local.get $l20
                  v128.load32_splat
                  local.set $l31
                  local.get $l27
                  local.get $l31
                  local.get $l29
                  f32x4.mul
                  f32x4.add
                  local.set $l27
                  local.get $l28
                  local.get $l31
                  local.get $l30
                  f32x4.mul
                  f32x4.add
                  local.set $l28
                  local.get $l20
                  local.get $p5
                  i32.add
                  local.set $l20
                  local.get $l16
                  local.get $p7
                  i32.add
                  local.set $l16
                  local.get $l15
                  i32.const 1
                  i32.sub
                  local.tee $l15
                  br_if $L16
                end
              end
            end
            local.get $p8
            local.get $l13
            i32.const 0
            i32.add
            local.get $p9
            i32.mul
            i32.add
            local.get $l14
            i32.const 2
            i32.shl
            i32.add
            local.set $l32
            local.get $l32
            local.get $l21
            v128.store align=4
            local.get $l32
            local.get $l22
            v128.store offset=16 align=4
            local.get $p8
            local.get $l13
            i32.const 1
            i32.add
            local.get $p9
            i32.mul
            i32.add
            local.get $l14
            i32.const 2
            i32.shl
            i32.add
            local.set $l32
            local.get $l32
            local.get $l23
            v128.store align=4
            local.get $l32
            local.get $l24
            v128.store offset=16 align=4
            local.get $p8
            local.get $l13
            i32.const 2
            i32.add
            local.get $p9
            i32.mul
            i32.add
            local.get $l14
            i32.const 2
            i32.shl
            i32.add
            local.set $l32
            local.get $l32
            local.get $l25
            v128.store align=4
            local.get $l32
            local.get $l26
            v128.store offset=16 align=4
            local.get $p8
            local.get $l13
            i32.const 3
            i32.add
            local.get $p9
            i32.mul
            i32.add
            local.get $l14
            i32.const 2
            i32.shl
            i32.add
            local.set $l32
            local.get $l32
            local.get $l27
            v128.store align=4
            local.get $l32
            local.get $l28
            v128.store offset=16 align=4
            local.get $l14
            i32.const 8
            i32.add
            local.set $l14
            br $L3
          end
        end
        block $B17
          loop $L18
            local.get $l14
            i32.const 4
            i32.add
            local.get $p1
            i32.gt_s
            br_if $B17
            local.get $p3
            local.get $l13
            i32.const 0
            i32.add
            local.get $p4
            i32.mul
            i32.add
            local.set $l17
            local.get $p12
            i32.eqz
            if $I19
              v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
              local.set $l21
            else
              local.get $p10
              local.get $l13
              i32.const 0
              i32.add
              local.get $p11
              i32.mul
              i32.add
              local.get $l14
              i32.const 2
              i32.shl
              i32.add
              v128.load align=4
              local.set $l21
            end
            local.get $p3
            local.get $l13
            i32.const 1
            i32.add
            local.get $p4
            i32.mul
            i32.add
            local.set $l18
            local.get $p12
            i32.eqz
            if $I20
              v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
              local.set $l23
            else
              local.get $p10
              local.get $l13
              i32.const 1
              i32.add
              local.get $p11
              i32.mul
              i32.add
              local.get $l14
              i32.const 2
              i32.shl
              i32.add
              v128.load align=4
              local.set $l23
            end
            local.get $p3
            local.get $l13
            i32.const 2
            i32.add
            local.get $p4
            i32.mul
            i32.add
            local.set $l19
            local.get $p12
            i32.eqz
            if $I21
              v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
              local.set $l25
            else
              local.get $p10
              local.get $l13
              i32.const 2
              i32.add
              local.get $p11
              i32.mul
              i32.add
              local.get $l14
              i32.const 2
              i32.shl
              i32.add
              v128.load align=4
              local.set $l25
            end
            local.get $p3
            local.get $l13
            i32.const 3
            i32.add
            local.get $p4
            i32.mul
            i32.add
            local.set $l20
            local.get $p12
            i32.eqz
            if $I22
              v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
              local.set $l27
            else
              local.get $p10
              local.get $l13
              i32.const 3
              i32.add
              local.get $p11
              i32.mul
              i32.add
              local.get $l14
              i32.const 2
              i32.shl
              i32.add
              v128.load align=4
              local.set $l27
            end
            local.get $p4
            i32.const 4
            i32.eq
            if $I23
              local.get $p6
              local.get $l14
              i32.const 2
              i32.shl
              i32.add
              local.set $l16
              local.get $p2
              local.set $l15
              block $B24
                local.get $l15
                i32.eqz
                br_if $B24
                loop $L25
                  local.get $l16
                  v128.load align=4
                  local.set $l29
                  local.get $l17
                  v128.load32_splat
                  local.set $l31
                  local.get $l21
                  local.get $l31
                  local.get $l29
                  f32x4.mul
                  f32x4.add
                  local.set $l21
                  local.get $l17
                  v128.load32_splat offset=4
                  local.set $l31
                  local.get $l23
                  local.get $l31
                  local.get $l29
                  f32x4.mul
                  f32x4.add
                  local.set $l23
                  local.get $l17
                  v128.load32_splat offset=8
                  local.set $l31
                  local.get $l25
                  local.get $l31
                  local.get $l29
                  f32x4.mul
                  f32x4.add
                  local.set $l25
                  local.get $l17
                  v128.load32_splat offset=12
                  local.set $l31
                  local.get $l27
                  local.get $l31
                  local.get $l29
                  f32x4.mul
                  f32x4.add
                  local.set $l27
                  local.get $l17
                  local.get $p5
                  i32.add
                  local.set $l17
                  local.get $l16
                  local.get $p7
                  i32.add
                  local.set $l16
                  local.get $l15
                  i32.const 1
                  i32.sub
                  local.tee $l15
                  br_if $L25
                end
              end
            else
              local.get $p6
              local.get $l14
              i32.const 2
              i32.shl
              i32.add
              local.set $l16
              local.get $p2
              local.set $l15
              block $B26
                local.get $l15
                i32.eqz
                br_if $B26
                loop $L27
                  local.get $l16
                  v128.load align=4
                  local.set $l29
                  local.get $l17
                  v128.load32_splat
                  local.set $l31
                  local.get $l21
                  local.get $l31
                  local.get $l29
                  f32x4.mul
                  f32x4.add
                  local.set $l21
                  local.get $l17
                  local.get $p5
                  i32.add
                  local.set $l17
                  local.get $l18
                  v128.load32_splat
                  local.set $l31
                  local.get $l23
                  local.get $l31
                  local.get $l29
                  f32x4.mul
                  f32x4.add
                  local.set $l23
                  local.get $l18
                  local.get $p5
                  i32.add
                  local.set $l18
                  local.get $l19
                  v128.load32_splat
                  local.set $l31
                  local.get $l25
                  local.get $l31
                  local.get $l29
                  f32x4.mul
                  f32x4.add
                  local.set $l25
                  local.get $l19
                  local.get $p5
                  i32.add
                  local.set $l19
                  local.get $l20
                  v128.load32_splat
                  local.set $l31
                  local.get $l27
                  local.get $l31
                  local.get $l29
                  f32x4.mul
                  f32x4.add
                  local.set $l27
                  local.get $l20
                  local.get $p5
                  i32.add
                  local.set $l20
                  local.get $l16
                  local.get $p7
                  i32.add
                  local.set $l16
                  local.get $l15
                  i32.const 1
                  i32.sub
                  local.tee $l15
                  br_if $L27
                end
              end
            end
            local.get $p8
            local.get $l13
            i32.const 0
            i32.add
            local.get $p9
            i32.mul
            i32.add
            local.get $l14
            i32.const 2
            i32.shl
            i32.add
            local.set $l32
            local.get $l32
            local.get $l21
            v128.store align=4
            local.get $p8
            local.get $l13
            i32.const 1
            i32.add
            local.get $p9
            i32.mul
            i32.add
            local.get $l14
            i32.const 2
            i32.shl
            i32.add
            local.set $l32
            local.get $l32
            local.get $l23
            v128.store align=4
            local.get $p8
            local.get $l13
            i32.const 2
            i32.add
            local.get $p9
            i32.mul
            i32.add
            local.get $l14
            i32.const 2
            i32.shl
            i32.add
            local.set $l32
            local.get $l32
            local.get $l25
            v128.store align=4
            local.get $p8
            local.get $l13
            i32.const 3
            i32.add
            local.get $p9
            i32.mul
            i32.add
            local.get $l14
            i32.const 2
            i32.shl
            i32.add
            local.set $l32
            local.get $l32
            local.get $l27
            v128.store align=4
            local.get $l14
            i32.const 4
            i32.add
            local.set $l14
            br $L18
          end
        end
        local.get $l13
        i32.const 4
        i32.add
        local.set $l13
        br $L1
      end
    end
    block $B28
      loop $L29
        local.get $l13
        i32.const 1
        i32.add
        local.get $p0
        i32.gt_s
        br_if $B28
        i32.const 0
        local.set $l14
        block $B30
          loop $L31
            local.get $l14
            i32.const 8
            i32.add
            local.get $p1
            i32.gt_s
            br_if $B30
            local.get $p3
            local.get $l13
            i32.const 0
            i32.add
            local.get $p4
            i32.mul
            i32.add
            local.set $l17
            local.get $p12
            i32.eqz
            if $I32
              v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
              local.set $l21
            else
              local.get $p10
              local.get $l13
              i32.const 0
              i32.add
              local.get $p11
              i32.mul
              i32.add
              local.get $l14
              i32.const 2
              i32.shl
              i32.add
              v128.load align=4
              local.set $l21
            end
            local.get $p12
            i32.eqz
            if $I33
              v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
              local.set $l22
            else
              local.get $p10
              local.get $l13
              i32.const 0
              i32.add
              local.get $p11
              i32.mul
              i32.add
              local.get $l14
              i32.const 2
              i32.shl
              i32.add
              v128.load offset=16 align=4
              local.set $l22
            end
            local.get $p6
            local.get $l14
            i32.const 2
            i32.shl
            i32.add
            local.set $l16
            local.get $p2
            local.set $l15
            block $B34
              local.get $l15
              i32.eqz
              br_if $B34
              loop $L35
                local.get $l16
                v128.load align=4
                local.set $l29
                local.get $l16
                v128.load offset=16 align=4
                local.set $l30
                local.get $l17
                v128.load32_splat
                local.set $l31
                local.get $l21
                local.get $l31
                local.get $l29
                f32x4.mul
                f32x4.add
                local.set $l21
                local.get $l22
                local.get $l31
                local.get $l30
                f32x4.mul
                f32x4.add
                local.set $l22
                local.get $l17
                local.get $p5
                i32.add
                local.set $l17
                local.get $l16
                local.get $p7
                i32.add
                local.set $l16
                local.get $l15
                i32.const 1
                i32.sub
                local.tee $l15
                br_if $L35
              end
            end
            local.get $p8
            local.get $l13
            i32.const 0
            i32.add
            local.get $p9
            i32.mul
            i32.add
            local.get $l14
            i32.const 2
            i32.shl
            i32.add
            local.set $l32
            local.get $l32
            local.get $l21
            v128.store align=4
            local.get $l32
            local.get $l22
            v128.store offset=16 align=4
            local.get $l14
            i32.const 8
            i32.add
            local.set $l14
            br $L31
          end
        end
        block $B36
          loop $L37
            local.get $l14
            i32.const 4
            i32.add
            local.get $p1
            i32.gt_s
            br_if $B36
            local.get $p3
            local.get $l13
            i32.const 0
            i32.add
            local.get $p4
            i32.mul
            i32.add
            local.set $l17
            local.get $p12
            i32.eqz
            if $I38
              v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
              local.set $l21
            else
              local.get $p10
              local.get $l13
              i32.const 0
              i32.add
              local.get $p11
              i32.mul
              i32.add
              local.get $l14
              i32.const 2
              i32.shl
              i32.add
              v128.load align=4
              local.set $l21
            end
            local.get $p6
            local.get $l14
            i32.const 2
            i32.shl
            i32.add
            local.set $l16
            local.get $p2
            local.set $l15
            block $B39
              local.get $l15
              i32.eqz
              br_if $B39
              loop $L40
                local.get $l16
                v128.load align=4
                local.set $l29
                local.get $l17
                v128.load32_splat
                local.set $l31
                local.get $l21
                local.get $l31
                local.get $l29
                f32x4.mul
                f32x4.add
                local.set $l21
                local.get $l17
                local.get $p5
                i32.add
                local.set $l17
                local.get $l16
                local.get $p7
                i32.add
                local.set $l16
                local.get $l15
                i32.const 1
                i32.sub
                local.tee $l15
                br_if $L40
              end
            end
            local.get $p8
            local.get $l13
            i32.const 0
            i32.add
            local.get $p9
            i32.mul
            i32.add
            local.get $l14
            i32.const 2
            i32.shl
            i32.add
            local.set $l32
            local.get $l32
            local.get $l21
            v128.store align=4
            local.get $l14
            i32.const 4
            i32.add
            local.set $l14
            br $L37
          end
        end
        local.get $l13
        i32.const 1
        i32.add
        local.set $l13
        br $L29
      end
    end)
  (func $cellForward (export "cellForward") (type $t1) (param $p0 i32) (param $p1 i32) (param $p2 i32) (param $p3 i32) (param $p4 i32) (param $p5 i32) (param $p6 i32)
    (local $l7 v128) (local $l8 v128) (local $l9 v128) (local $l10 v128) (local $l11 v128) (local $l12 v128) (local $l13 v128) (local $l14 v128) (local $l15 i32) (local $l16 i32) (local $l17 i32) (local $l18 i32) (local $l19 i32) (local $l20 v128) (local $l21 v128) (local $l22 v128) (local $l23 v128) (local $l24 v128) (local $l25 v128) (local $l26 v128) (local $l27 v128) (local $l28 v128) (local $l29 v128) (local $l30 v128) (local $l31 v128) (local $l32 v128) (local $l33 v128) (local $l34 v128)
    v128.const i32x4 0xc2aea8f6 0xc2aea8f6 0xc2aea8f6 0xc2aea8f6
    local.set $l20
    v128.const i32x4 0x42b0bd71 0x42b0bd71 0x42b0bd71 0x42b0bd71
    local.set $l21
    v128.const i32x4 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b
    local.set $l22
    v128.const i32x4 0x4b400000 0x4b400000 0x4b400000 0x4b400000
    local.set $l23
    v128.const i32x4 0x3f318000 0x3f318000 0x3f318000 0x3f318000
    local.set $l24
    v128.const i32x4 0xb95e8083 0xb95e8083 0xb95e8083 0xb95e8083
    local.set $l25
    v128.const i32x4 0x39506967 0x39506967 0x39506967 0x39506967
    local.set $l26
    v128.const i32x4 0x3ab743ce 0x3ab743ce 0x3ab743ce 0x3ab743ce
    local.set $l27
    v128.const i32x4 0x3c088908 0x3c088908 0x3c088908 0x3c088908
    local.set $l28
    v128.const i32x4 0x3d2aa9c1 0x3d2aa9c1 0x3d2aa9c1 0x3d2aa9c1
    local.set $l29
    v128.const i32x4 0x3e2aaaaa 0x3e2aaaaa 0x3e2aaaaa 0x3e2aaaaa
    local.set $l30
    v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000
    local.set $l31
    v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
    local.set $l32
    v128.const i32x4 0xc0000000 0xc0000000 0xc0000000 0xc0000000
    local.set $l33
    v128.const i32x4 0x40000000 0x40000000 0x40000000 0x40000000
    local.set $l34
    local.get $p1
    i32.const 2
    i32.shl
    local.set $l17
    local.get $p2
    local.set $l15
    i32.const 0
    local.set $l16
    local.get $p0
    local.set $l18
    block $B0
      local.get $l18
      i32.eqz
      br_if $B0
      loop $L1
        local.get $p1
        local.set $l19
        block $B2
          loop $L3
            local.get $l15
            v128.load align=4
            f32x4.neg
            local.get $l20
            f32x4.pmax
            local.get $l21
            f32x4.pmin
            local.set $l7
            local.get $l7
            local.get $l22
            f32x4.mul
            local.get $l23
            f32x4.add
            local.set $l13
            local.get $l7
            local.get $l13
            local.get $l23
            f32x4.sub
            local.tee $l14
            local.get $l24
            f32x4.mul
            f32x4.sub
            local.get $l14
            local.get $l25
            f32x4.mul
            f32x4.sub
            local.set $l14
            local.get $l26
            local.get $l14
            f32x4.mul
            local.get $l27
            f32x4.add
            local.get $l14
            f32x4.mul
            local.get $l28
            f32x4.add
            local.get $l14
            f32x4.mul
            local.get $l29
            f32x4.add
            local.get $l14
            f32x4.mul
            local.get $l30
            f32x4.add
            local.get $l14
            f32x4.mul
            local.get $l31
            f32x4.add
            local.get $l14
            f32x4.mul
            local.get $l14
            f32x4.mul
            local.get $l14
            f32x4.add
            local.get $l32
            f32x4.add
            local.get $l13
            v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f
            i32x4.add
            i32.const 23
            i32x4.shl
            f32x4.mul
            local.set $l7
            local.get $l32
            local.get $l32
            local.get $l7
            f32x4.add
            f32x4.div
            local.set $l7
            local.get $l15
            local.get $l17
            i32.add
            v128.load align=4
            f32x4.neg
            local.get $l20
            f32x4.pmax
            local.get $l21
            f32x4.pmin
            local.set $l8
            local.get $l8
            local.get $l22
            f32x4.mul
            local.get $l23
            f32x4.add
            local.set $l13
            local.get $l8
            local.get $l13
            local.get $l23
            f32x4.sub
            local.tee $l14
            local.get $l24
            f32x4.mul
            f32x4.sub
            local.get $l14
            local.get $l25
            f32x4.mul
            f32x4.sub
            local.set $l14
            local.get $l26
            local.get $l14
            f32x4.mul
            local.get $l27
            f32x4.add
            local.get $l14
            f32x4.mul
            local.get $l28
            f32x4.add
            local.get $l14
            f32x4.mul
            local.get $l29
            f32x4.add
            local.get $l14
            f32x4.mul
            local.get $l30
            f32x4.add
            local.get $l14
            f32x4.mul
            local.get $l31
            f32x4.add
            local.get $l14
            f32x4.mul
            local.get $l14
            f32x4.mul
            local.get $l14
            f32x4.add
            local.get $l32
            f32x4.add
            local.get $l13
            v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f
            i32x4.add
            i32.const 23
            i32x4.shl
            f32x4.mul
            local.set $l8
            local.get $l32
            local.get $l32
            local.get $l8
            f32x4.add
            f32x4.div
            local.set $l8
            local.get $l15
            local.get $l17
            i32.const 1
            i32.shl
            i32.add
            v128.load align=4
            local.get $l33
            f32x4.mul
            local.get $l20
            f32x4.pmax
            local.get $l21
            f32x4.pmin
            local.set $l9
            local.get $l9
            local.get $l22
            f32x4.mul
            local.get $l23
            f32x4.add
            local.set $l13
            local.get $l9
            local.get $l13
            local.get $l23
            f32x4.sub
            local.tee $l14
            local.get $l24
            f32x4.mul
            f32x4.sub
            local.get $l14
            local.get $l25
            f32x4.mul
            f32x4.sub
            local.set $l14
            local.get $l26
            local.get $l14
            f32x4.mul
            local.get $l27
            f32x4.add
            local.get $l14
            f32x4.mul
            local.get $l28
            f32x4.add
            local.get $l14
            f32x4.mul
            local.get $l29
            f32x4.add
            local.get $l14
            f32x4.mul
            local.get $l30
            f32x4.add
            local.get $l14
            f32x4.mul
            local.get $l31
            f32x4.add
            local.get $l14
            f32x4.mul
            local.get $l14
            f32x4.mul
            local.get $l14
            f32x4.add
            local.get $l32
            f32x4.add
            local.get $l13
            v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f
            i32x4.add
            i32.const 23
            i32x4.shl
            f32x4.mul
            local.set $l9
            local.get $l34
            local.get $l32
            local.get $l9
            f32x4.add
            f32x4.div
            local.get $l32
            f32x4.sub
            local.set $l9
            local.get $l15
            local.get $l17
            i32.const 3
            i32.mul
            i32.add
            v128.load align=4
            f32x4.neg
            local.get $l20
            f32x4.pmax
            local.get $l21
            f32x4.pmin
            local.set $l10
            local.get $l10
            local.get $l22
            f32x4.mul
            local.get $l23
            f32x4.add
            local.set $l13
            local.get $l10
            local.get $l13
            local.get $l23
            f32x4.sub
            local.tee $l14
            local.get $l24
            f32x4.mul
            f32x4.sub
            local.get $l14
            local.get $l25
            f32x4.mul
            f32x4.sub
            local.set $l14
            local.get $l26
            local.get $l14
            f32x4.mul
            local.get $l27
            f32x4.add
            local.get $l14
            f32x4.mul
            local.get $l28
            f32x4.add
            local.get $l14
            f32x4.mul
            local.get $l29
            f32x4.add
            local.get $l14
            f32x4.mul
            local.get $l30
            f32x4.add
            local.get $l14
            f32x4.mul
            local.get $l31
            f32x4.add
            local.get $l14
            f32x4.mul
            local.get $l14
            f32x4.mul
            local.get $l14
            f32x4.add
            local.get $l32
            f32x4.add
            local.get $l13
            v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f
            i32x4.add
            i32.const 23
            i32x4.shl
            f32x4.mul
            local.set $l10
            local.get $l32
            local.get $l32
            local.get $l10
            f32x4.add
            f32x4.div
            local.set $l10
            local.get $l15
            local.get $l7
            v128.store align=4
            local.get $l15
            local.get $l17
            i32.add
            local.get $l8
            v128.store align=4
            local.get $l15
            local.get $l17
            i32.const 1
            i32.shl
            i32.add
            local.get $l9
            v128.store align=4
            local.get $l15
            local.get $l17
            i32.const 3
            i32.mul
            i32.add
            local.get $l10
            v128.store align=4
            local.get $p3
            local.get $l16
            i32.add
            v128.load align=4
            local.get $l8
            f32x4.mul
            local.get $l7
            local.get $l9
            f32x4.mul
            f32x4.add
            local.set $l11
            local.get $p4
            local.get $l16
            i32.add
            local.get $l11
            v128.store align=4
            local.get $l11
            local.get $l33
            f32x4.mul
            local.get $l20
            f32x4.pmax
            local.get $l21
            f32x4.pmin
            local.set $l12
            local.get $l12
            local.get $l22
            f32x4.mul
            local.get $l23
            f32x4.add
            local.set $l13
            local.get $l12
            local.get $l13
            local.get $l23
            f32x4.sub
            local.tee $l14
            local.get $l24
            f32x4.mul
            f32x4.sub
            local.get $l14
            local.get $l25
            f32x4.mul
            f32x4.sub
            local.set $l14
            local.get $l26
            local.get $l14
            f32x4.mul
            local.get $l27
            f32x4.add
            local.get $l14
            f32x4.mul
            local.get $l28
            f32x4.add
            local.get $l14
            f32x4.mul
            local.get $l29
            f32x4.add
            local.get $l14
            f32x4.mul
            local.get $l30
            f32x4.add
            local.get $l14
            f32x4.mul
            local.get $l31
            f32x4.add
            local.get $l14
            f32x4.mul
            local.get $l14
            f32x4.mul
            local.get $l14
            f32x4.add
            local.get $l32
            f32x4.add
            local.get $l13
            v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f
            i32x4.add
            i32.const 23
            i32x4.shl
            f32x4.mul
            local.set $l12
            local.get $l34
            local.get $l32
            local.get $l12
            f32x4.add
            f32x4.div
            local.get $l32
            f32x4.sub
            local.set $l12
            local.get $p5
            local.get $l16
            i32.add
            local.get $l12
            v128.store align=4
            local.get $p6
            local.get $l16
            i32.add
            local.get $l10
            local.get $l12
            f32x4.mul
            v128.store align=4
            local.get $l15
            i32.const 16
            i32.add
            local.set $l15
            local.get $l16
            i32.const 16
            i32.add
            local.set $l16
            local.get $l19
            i32.const 4
            i32.sub
            local.tee $l19
            i32.const 0
            i32.gt_s
            br_if $L3
          end
        end
        local.get $l15
        local.get $l17
        i32.const 3
        i32.mul
        i32.add
        local.set $l15
        local.get $l18
        i32.const 1
        i32.sub
        local.tee $l18
        br_if $L1
      end
    end)
  (func $cellBackward (export "cellBackward") (type $t2) (param $p0 i32) (param $p1 i32) (param $p2 i32) (param $p3 i32) (param $p4 i32) (param $p5 i32) (param $p6 i32) (param $p7 i32)
    (local $l8 v128) (local $l9 v128) (local $l10 v128) (local $l11 v128) (local $l12 v128) (local $l13 v128) (local $l14 v128) (local $l15 i32) (local $l16 i32) (local $l17 i32) (local $l18 i32) (local $l19 i32) (local $l20 i32) (local $l21 v128)
    v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
    local.set $l21
    local.get $p1
    i32.const 2
    i32.shl
    local.set $l18
    local.get $p2
    local.set $l16
    i32.const 0
    local.set $l17
    local.get $p0
    local.set $l19
    block $B0
      local.get $l19
      i32.eqz
      br_if $B0
      loop $L1
        local.get $p1
        local.set $l20
        block $B2
          loop $L3
            local.get $p7
            local.get $l16
            i32.add
            local.get $p2
            i32.sub
            local.set $l15
            local.get $l16
            v128.load align=4
            local.set $l8
            local.get $l16
            local.get $l18
            i32.add
            v128.load align=4
            local.set $l9
            local.get $l16
            local.get $l18
            i32.const 1
            i32.shl
            i32.add
            v128.load align=4
            local.set $l10
            local.get $l16
            local.get $l18
            i32.const 3
            i32.mul
            i32.add
            v128.load align=4
            local.set $l11
            local.get $p4
            local.get $l17
            i32.add
            v128.load align=4
            local.set $l12
            local.get $p5
            local.get $l17
            i32.add
            v128.load align=4
            local.set $l13
            local.get $p6
            local.get $l17
            i32.add
            v128.load align=4
            local.get $l13
            local.get $l11
            f32x4.mul
            local.get $l21
            local.get $l12
            local.get $l12
            f32x4.mul
            f32x4.sub
            f32x4.mul
            f32x4.add
            local.set $l14
            local.get $l15
            local.get $l14
            local.get $l10
            f32x4.mul
            local.get $l8
            f32x4.mul
            local.get $l21
            local.get $l8
            f32x4.sub
            f32x4.mul
            v128.store align=4
            local.get $l15
            local.get $l18
            i32.add
            local.get $l14
            local.get $p3
            local.get $l17
            i32.add
            v128.load align=4
            f32x4.mul
            local.get $l9
            f32x4.mul
            local.get $l21
            local.get $l9
            f32x4.sub
            f32x4.mul
            v128.store align=4
            local.get $l15
            local.get $l18
            i32.const 1
            i32.shl
            i32.add
            local.get $l14
            local.get $l8
            f32x4.mul
            local.get $l21
            local.get $l10
            local.get $l10
            f32x4.mul
            f32x4.sub
            f32x4.mul
            v128.store align=4
            local.get $l15
            local.get $l18
            i32.const 3
            i32.mul
            i32.add
            local.get $l13
            local.get $l12
            f32x4.mul
            local.get $l11
            f32x4.mul
            local.get $l21
            local.get $l11
            f32x4.sub
            f32x4.mul
            v128.store align=4
            local.get $p6
            local.get $l17
            i32.add
            local.get $l14
            local.get $l9
            f32x4.mul
            v128.store align=4
            local.get $l16
            i32.const 16
            i32.add
            local.set $l16
            local.get $l17
            i32.const 16
            i32.add
            local.set $l17
            local.get $l20
            i32.const 4
            i32.sub
            local.tee $l20
            i32.const 0
            i32.gt_s
            br_if $L3
          end
        end
        local.get $l16
        local.get $l18
        i32.const 3
        i32.mul
        i32.add
        local.set $l16
        local.get $l19
        i32.const 1
        i32.sub
        local.tee $l19
        br_if $L1
      end
    end)
  (func $adam (export "adam") (type $t3) (param $p0 i32) (param $p1 i32) (param $p2 i32) (param $p3 i32) (param $p4 i32) (param $p5 f32) (param $p6 f32) (param $p7 f32) (param $p8 f32) (param $p9 f32) (param $p10 f32)
    (local $l11 i32) (local $l12 i32) (local $l13 v128) (local $l14 v128) (local $l15 v128) (local $l16 v128) (local $l17 v128) (local $l18 v128) (local $l19 v128) (local $l20 v128) (local $l21 v128) (local $l22 v128) (local $l23 v128)
    local.get $p6
    f32x4.splat
    local.set $l16
    local.get $p7
    f32x4.splat
    local.set $l17
    local.get $p5
    f32x4.splat
    local.set $l18
    local.get $p8
    f32x4.splat
    local.set $l19
    local.get $p9
    f32x4.splat
    local.set $l20
    local.get $p10
    f32x4.splat
    local.set $l21
    v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
    local.get $l16
    f32x4.sub
    local.set $l22
    v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
    local.get $l17
    f32x4.sub
    local.set $l23
    local.get $p0
    i32.const 2
    i32.shl
    local.set $l12
    i32.const 0
    local.set $l11
    block $B0
      local.get $p0
      i32.eqz
      br_if $B0
      loop $L1
        local.get $p2
        local.get $l11
        i32.add
        v128.load align=4
        local.set $l13
        local.get $p3
        local.get $l11
        i32.add
        v128.load align=4
        local.get $l16
        f32x4.mul
        local.get $l13
        local.get $l22
        f32x4.mul
        f32x4.add
        local.set $l14
        local.get $p4
        local.get $l11
        i32.add
        v128.load align=4
        local.get $l17
        f32x4.mul
        local.get $l13
        local.get $l13
        f32x4.mul
        local.get $l23
        f32x4.mul
        f32x4.add
        local.set $l15
        local.get $p3
        local.get $l11
        i32.add
        local.get $l14
        v128.store align=4
        local.get $p4
        local.get $l11
        i32.add
        local.get $l15
        v128.store align=4
        local.get $p1
        local.get $l11
        i32.add
        local.get $p1
        local.get $l11
        i32.add
        v128.load align=4
        local.get $l18
        local.get $l14
        local.get $l19
        f32x4.div
        f32x4.mul
        local.get $l15
        local.get $l20
        f32x4.div
        f32x4.sqrt
        local.get $l21
        f32x4.add
        f32x4.div
        f32x4.sub
        v128.store align=4
        local.get $l11
        i32.const 16
        i32.add
        local.tee $l11
        local.get $l12
        i32.lt_s
        br_if $L1
      end
    end)
  (func $copy (export "copy") (type $t1) (param $p0 i32) (param $p1 i32) (param $p2 i32) (param $p3 i32) (param $p4 i32) (param $p5 i32) (param $p6 i32)
    (local $l7 i32) (local $l8 i32) (local $l9 i32) (local $l10 i32)
    local.get $p0
    local.set $l7
    block $B0
      local.get $l7
      i32.eqz
      br_if $B0
      local.get $p1
      i32.eqz
      br_if $B0
      loop $L1
        local.get $p2
        local.set $l9
        local.get $p5
        local.set $l10
        local.get $p1
        local.set $l8
        loop $L2
          local.get $l10
          local.get $l9
          f32.load
          f32.store
          local.get $l9
          local.get $p4
          i32.add
          local.set $l9
          local.get $l10
          i32.const 4
          i32.add
          local.set $l10
          local.get $l8
          i32.const 1
          i32.sub
          local.tee $l8
          br_if $L2
        end
        local.get $p2
        local.get $p3
        i32.add
        local.set $p2
        local.get $p5
        local.get $p6
        i32.add
        local.set $p5
        local.get $l7
        i32.const 1
        i32.sub
        local.tee $l7
        br_if $L1
      end
    end))

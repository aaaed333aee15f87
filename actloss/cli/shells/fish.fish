
function __actloss_values --description 'values of an option: option command prefix word names...'
    set -l opt $argv[1]
    set -l cmd $argv[2]
    set -l prefix $argv[3]
    set -l cur $argv[4]
    set -l o (__actloss_option "$cmd" $opt)
    set -l choices $o[3..-1]
    if test $o[1] -lt 0; and test -n "$cmd"
        for e in $argv[5..-1]
            set choices (__actloss_param_choices (string split : -- $e)[2] $opt)
            set -q choices[1]; and break
        end
    end
    switch $o[2]
        case file
            printf '%s\n' "$prefix"(__fish_complete_path $cur)
        case dir
            printf '%s\n' "$prefix"(__fish_complete_directories $cur)
        case '*'
            set -q choices[1]; and printf '%s\n' "$prefix"$choices
    end
end

function __actloss_function_names --description 'function names of some kinds: word kinds...'
    # canonical names (and other names once a letter is typed); the variants of a name
    # (leakyrelu) only when nothing else matches
    set -l cur $argv[1]
    set -l found
    for k in $argv[2..-1]
        set -a found (__actloss_names name $k)
        test -n "$cur"; and set -a found (__actloss_names alias $k)
    end
    if test -n "$cur"; and not string match -q -- "$cur*" (string split -f1 \t -- $found)
        for k in $argv[2..-1]
            set -a found (__actloss_names alias $k) (__actloss_names variant $k)
        end
    end
    printf '%s\n' $found
end

function __actloss_complete --description 'completions of the actloss command line'
    set -l w (commandline -opc) (commandline -ct)
    set -l n (count $w)
    set -l cur $w[$n]
    set -l cmd
    set -l names
    set -l npos 0
    set -l dd 0
    set -l num 0
    set -l vopt
    set -l vcmd
    set -l kinds
    set -l free 0
    set -l pos
    set -l so
    set -l flags (__actloss_flags)
    set -l i 2
    # the words before the cursor: the command, the functions named, the option whose value is due
    while test $i -lt $n
        set -l t $w[$i]
        if test -z "$cmd"
            if string match -q -- '-*' $t
                set -l o (__actloss_option '' (string split -m1 = -- $t)[1])
                if not string match -q -- '*=*' $t; and test $o[1] -gt 0
                    if test (math $i + $o[1]) -ge $n
                        set vopt $t
                        break
                    end
                    set i (math $i + $o[1])
                end
            else
                set cmd $t
                set -l info (__actloss_command $cmd)
                set kinds (string split -n ' ' -- $info[1])
                set free $info[2]
                set pos (string split -n ' ' -- $info[3])
                set so (string split -n ' ' -- $info[4])
            end
        else if test $dd = 1
        else if test "$t" = --
            set dd 1
        else if string match -qr -- '^-[^0-9.]' $t
            set -l nv 0
            if not string match -q -- '*=*' $t
                set -l o (__actloss_option $cmd $t)
                set nv $o[1]
                if test $nv -lt 0
                    # a parameter of the functions: one value, unless a switch
                    set nv 0
                    test "$free" = 1; and not contains -- $t $flags; and set nv 1
                end
            end
            if test $nv -gt 0
                if test (math $i + $nv) -ge $n
                    set vopt $t
                    set vcmd $cmd
                    break
                end
                set i (math $i + $nv)
            end
        else
            set npos (math $npos + 1)
            if test "$free" = 1 -a $num = 0
                set -l f (__actloss_fn (string lower -- $t | string replace -a - _))
                if set -q f[1]
                    set -a names "$f[2]:$f[1]:$f[3]"
                else if string match -qr -- '^[-+.0-9]' $t
                    set num 1
                end
            end
        end
        set i (math $i + 1)
    end

    if set -q vopt[1]
        __actloss_values $vopt "$vcmd" '' $cur $names
        return
    end
    if test -z "$cmd"
        if string match -q -- '-*' $cur
            __actloss_options ''
        else
            __actloss_commands
        end
        return
    end
    test $dd = 1; and return
    if string match -qr -- '^--[^=]+=' $cur
        set -l parts (string split -m1 = -- $cur)
        __actloss_values $parts[1] $cmd "$parts[1]=" $parts[2] $names
        return
    end
    if string match -qr -- '^-([^0-9.]|$)' $cur
        set -l seen
        for line in (__actloss_options $cmd)
            set -l o (string split -f1 \t -- $line)
            contains -- $o $seen; and continue
            set -a seen $o
            echo $line
        end
        for e in $names
            set -l e (string split : -- $e)
            for line in (__actloss_params $e[2])
                set -l o (string split -f1 \t -- $line)
                contains -- $o $seen; and continue
                set -a seen $o
                echo $line
            end
            for k in $so
                set -l k (string split : -- $k)
                if test "$k[2]" = "$e[3]"; and not contains -- $k[1] $seen
                    set -a seen $k[1]
                    printf '%s\t%s\n' $k[1] (__actloss_shape_option_help $k[2])
                end
            end
            for k in (__actloss_kind_commands)
                # grad LOSS takes the options of the loss command
                set -l k (string split : -- $k)
                if test "$k[1]" = "$e[1]" -a "$k[2]" != "$cmd"
                    for line in (__actloss_options $k[2])
                        set -l o (string split -f1 \t -- $line)
                        contains -- $o $seen; and continue
                        set -a seen $o
                        echo $line
                    end
                end
            end
        end
        return
    end
    if test "$free" = 1
        test $num = 1; and return
        __actloss_function_names $cur $kinds
        return
    end
    set -q pos[1]; or return
    set -l kind
    if test $npos -lt (count $pos)
        set kind $pos[(math $npos + 1)]
    else
        set kind $pos[-1]
        string match -q -- '*\*' $kind; or return
    end
    switch (string trim -r -c '*' -- $kind)
        case names
            __actloss_function_names $cur $kinds
        case choice
            __actloss_positional $cmd $npos
        case file
            __fish_complete_path $cur
        case dir
            __fish_complete_directories $cur
    end
end

complete -c actloss -e
complete -c actloss -f -a '(__actloss_complete)'


_actloss_scan() {
    # words $w (cursor word last) -> cmd, names ("kind:canonical" ...), npos, dd (after --),
    # num (a number seen), vopt (option whose value is under the cursor, or ''), vcmd (its command)
    local i=2 n=$#w t k
    cmd= names= npos=0 dd=0 num=0 vopt= vcmd=
    while (( i < n )); do
        t=$w[i]
        if [[ -z $cmd ]]; then
            if [[ $t == -* ]]; then
                _actloss_option '' "${t%%=*}"
                if [[ $t != *=* ]] && (( _n > 0 )); then
                    if (( i + _n >= n )); then vopt=$t vcmd=; return; fi
                    (( i += _n ))
                fi
            else
                cmd=$t
                _actloss_command "$cmd"
            fi
        elif (( dd )); then
            :
        elif [[ $t == -- ]]; then
            dd=1
        elif [[ $t == -?* && ! $t =~ '^-[0-9.]' ]]; then
            _n=-1
            if [[ $t != *=* ]]; then
                _actloss_option "$cmd" "$t"
                if (( _n < 0 )); then
                    # a parameter of the functions: one value, unless a switch
                    _n=0
                    (( _free )) && [[ $_actloss_flags != *" $t "* ]] && _n=1
                fi
            fi
            if (( _n > 0 )); then
                if (( i + _n >= n )); then vopt=$t vcmd=$cmd; return; fi
                (( i += _n ))
            fi
        else
            (( npos++ ))
            if (( _free && !num )); then
                k=${t:l}
                _actloss_fn "${k//-/_}"
                if [[ -n $_f ]]; then
                    names+=" $_k:$_f"
                elif [[ $t =~ '^[-+.0-9]' ]]; then
                    num=1
                fi
            fi
        fi
        (( i++ ))
    done
}

_actloss_values() {
    # the value of option $1 of command $2 (or of a parameter of the functions named)
    local e
    _actloss_option "$2" "$1"
    if (( _n < 0 )) && [[ -n $2 ]]; then
        for e in ${=names}; do
            _actloss_param_choices "${e#*:}" "$1"
            [[ -n $_c ]] && break
        done
    fi
    if [[ $_x == dir ]]; then
        _files -/
    elif [[ -n $_x ]]; then
        _files
    elif [[ -n $_c ]]; then
        local -a values=(${=_c})
        _describe -t values "value of $1" values
    else
        _message -e values "value of $1"
        return 1
    fi
}

_actloss_names() {
    # function names of the command's kinds: canonical names (and other names once a letter is
    # typed); the variants of a name (leakyrelu) only when nothing else matches
    local -a _dn _da _dv
    local ret=1
    _actloss_described_names "$_kinds"
    _describe -t functions 'function' _dn && ret=0
    if [[ -n $cur ]]; then
        _describe -t aliases 'alias' _da && ret=0
    fi
    if (( ret )); then
        _describe -t aliases 'alias' _dv && ret=0
    fi
    return ret
}

_actloss_options() {
    # options of the command and of the functions named: reply=(option:description ...)
    # the loss command's options are looked up below: keep this command's own in locals
    local e k o _h c2 _o=$_o _kinds=$_kinds _free=$_free _pos=$_pos _so=$_so
    local -a seen
    reply=()
    for o in ${=_o}; do
        _actloss_option_help "$cmd" "$o"
        reply+=("$o:$_h") seen+=("$o")
    done
    for e in ${=names}; do
        _actloss_params "${e#*:}"
        for o in ${=_po}; do
            (( ${seen[(Ie)$o]} )) && continue
            _actloss_option_help "=${e#*:}" "$o"
            reply+=("$o:$_h") seen+=("$o")
        done
        _actloss_fn "${e#*:}"
        for k in ${=_so}; do
            o=${k%%:*}
            if [[ $_s == "${k#*:}" ]] && (( ! ${seen[(Ie)$o]} )); then
                _actloss_option_help "$cmd" "$o"
                reply+=("$o:$_h") seen+=("$o")
            fi
        done
        for k in ${=_actloss_kind_commands}; do
            # grad LOSS takes the options of the loss command
            if [[ ${e%%:*} == "${k%%:*}" && ${k#*:} != "$cmd" ]]; then
                c2=${k#*:}
                _actloss_command "$c2"
                for o in ${=_o}; do
                    (( ${seen[(Ie)$o]} )) && continue
                    _actloss_option_help "$c2" "$o"
                    reply+=("$o:$_h") seen+=("$o")
                done
                _actloss_command "$cmd"
            fi
        done
    done
}

_actloss() {
    local -a w reply
    local cur cmd names npos dd num vopt vcmd
    local _f _k _s _po _c _n _x _o _kinds _free _pos _so
    w=("${(@)words[1,CURRENT]}")
    cur=$w[-1]
    _actloss_scan
    if [[ -n $vopt ]]; then
        _actloss_values "$vopt" "$vcmd"
        return
    fi
    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            local o _h
            for o in ${=_actloss_root_options}; do
                _actloss_option_help '' "$o"
                reply+=("$o:$_h")
            done
            _describe -t options 'option' reply
        else
            _actloss_described_commands
            _describe -t commands 'actloss command' reply
        fi
        return
    fi
    (( dd )) && return 1
    if [[ $cur == --*=* ]]; then
        local opt=${cur%%=*}
        compset -P '*='
        cur=${cur#*=}
        _actloss_values "$opt" "$cmd"
        return
    fi
    if [[ $cur == -* && ! $cur =~ '^-[0-9.]' ]]; then
        _actloss_options
        _describe -t options 'option' reply
        return
    fi
    if (( _free )); then
        (( num )) && return 1
        _actloss_names
        return
    fi
    local -a p=(${=_pos})
    local kind
    (( $#p )) || return 1
    if (( npos < $#p )); then
        kind=$p[npos+1]
    else
        kind=$p[-1]
        [[ $kind == *'*' ]] || return 1
    fi
    case ${kind%'*'} in
        names) _actloss_names ;;
        choice)
            _actloss_positional "$cmd" "$npos"
            local -a values=(${=_c})
            _describe -t values 'value' values
            ;;
        file) _files ;;
        dir) _files -/ ;;
        *) return 1 ;;
    esac
}

# Autoloaded from $fpath, this file is the body of _actloss: it has just defined the
# functions above, so complete now (the first TAB works too). Sourced, register it.
if [[ $funcstack[1] == _actloss ]]; then
    _actloss "$@"
else
    compdef _actloss actloss
fi

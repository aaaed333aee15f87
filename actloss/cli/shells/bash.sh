_actloss_scan() {
    # words ${w[@]} (cursor word last) -> cmd, names (canonical), npos, dd (after --), num (a number seen),
    # vopt (option whose value is under the cursor, or ''), vcmd (its command)
    local i=1 n=$((${#w[@]} - 1)) t k _n
    cmd= names= npos=0 dd=0 num=0 vopt= vcmd=
    while ((i < n)); do
        t=${w[i]}
        if [[ -z $cmd ]]; then
            if [[ $t == -* ]]; then
                _actloss_option '' "${t%%=*}"
                if [[ $t != *=* ]] && ((_n > 0)); then
                    if ((i + _n >= n)); then vopt=$t vcmd=; return; fi
                    ((i += _n))
                fi
            else
                cmd=$t
                _actloss_command "$cmd"
            fi
        elif ((dd)); then
            :
        elif [[ $t == -- ]]; then
            dd=1
        elif [[ $t == -?* && ! $t =~ ^-[0-9.] ]]; then
            _n=-1
            if [[ $t != *=* ]]; then
                _actloss_option "$cmd" "$t"
                if ((_n < 0)); then
                    # a parameter of the functions: one value, unless a switch
                    _n=0
                    ((_free)) && [[ $_actloss_flags != *" $t "* ]] && _n=1
                fi
            fi
            if ((_n > 0)); then
                if ((i + _n >= n)); then vopt=$t vcmd=$cmd; return; fi
                ((i += _n))
            fi
        else
            ((npos++))
            if ((_free)) && ((!num)); then
                k=${t,,}
                _actloss_fn "${k//-/_}"
                if [[ -n $_f ]]; then names+=" $_k:$_f"
                elif [[ $t =~ ^[-+.0-9] ]]; then num=1
                fi
            fi
        fi
        ((i++))
    done
}
_actloss_add() {
    # candidates in $1 that start with $cur go into COMPREPLY, once each
    local c seen=" ${COMPREPLY[*]} "
    for c in $1; do
        if [[ $c == "$cur"* && $seen != *" $c "* ]]; then
            COMPREPLY+=("$c")
            seen+="$c "
        fi
    done
}

_actloss_files() {
    local IFS=$'\n'
    compopt -o filenames 2>/dev/null
    if [[ $1 == dir ]]; then
        COMPREPLY+=($(compgen -d -- "$cur"))
    else
        COMPREPLY+=($(compgen -f -- "$cur"))
    fi
}

_actloss_names() {
    # function names of the command's kinds: canonical names (and other names once a letter is
    # typed); the variants of a name (leakyrelu) only when nothing else matches
    local _names _aliases _variants
    _actloss_names_of "$_kinds"
    _actloss_add "$_names"
    [[ -n $cur ]] && _actloss_add "$_aliases"
    ((${#COMPREPLY[@]})) || _actloss_add "$_variants"
}

_actloss_values() {
    # value of option $1 of command $2 (or of a function parameter)
    _actloss_option "$2" "$1"
    if ((_n < 0)) && [[ -n $2 ]]; then
        local e
        for e in $names; do
            _actloss_param_choices "${e#*:}" "$1"
            [[ -n $_c ]] && break
        done
    fi
    if [[ -n $_x ]]; then
        _actloss_files "$_x"
    else
        _actloss_add "$_c"
    fi
}

_actloss() {
    COMPREPLY=()
    local -a w=()
    local i t glue=0 cur cmd names npos dd num vopt vcmd
    local _f _k _s _po _c _n _x _o _kinds _free _pos _so
    # bash splits --option=value at '=' (COMP_WORDBREAKS): join the pieces again
    for ((i = 0; i <= COMP_CWORD; i++)); do
        t=${COMP_WORDS[i]}
        if ((glue)); then
            w[${#w[@]} - 1]+=$t
            glue=0
        elif [[ $t == = && ${#w[@]} -gt 1 && ${w[${#w[@]} - 1]} == --* && ${w[${#w[@]} - 1]} != *=* ]]; then
            w[${#w[@]} - 1]+==
            glue=1
        else
            w+=("$t")
        fi
    done
    cur=${w[${#w[@]} - 1]}
    _actloss_scan
    if [[ -n $vopt ]]; then
        _actloss_values "$vopt" "$vcmd"
        return 0
    fi
    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            _actloss_add "$_actloss_root_options"
        else
            _actloss_add "$_actloss_commands"
        fi
        return 0
    fi
    ((dd)) && return 0
    if [[ $cur == --*=* ]]; then
        local opt=${cur%%=*}
        cur=${cur#*=}
        _actloss_values "$opt" "$cmd"
        return 0
    fi
    if [[ $cur == -* && ! $cur =~ ^-[0-9.] ]]; then
        local opts=$_o e k
        for e in $names; do
            _actloss_params "${e#*:}"
            opts+=" $_po"
            for k in $_so; do
                _actloss_fn "${e#*:}"
                [[ $_s == "${k#*:}" && " $opts " != *" ${k%%:*} "* ]] && opts+=" ${k%%:*}"
            done
            for k in $_actloss_kind_commands; do
                # grad LOSS takes the options of the loss command
                if [[ ${e%%:*} == "${k%%:*}" && ${k#*:} != "$cmd" ]]; then
                    _actloss_command "${k#*:}"
                    opts+=" $_o"
                    _actloss_command "$cmd"
                fi
            done
        done
        _actloss_add "$opts"
        return 0
    fi
    if ((_free)); then
        ((num)) || _actloss_names
        return 0
    fi
    local p=($_pos) kind
    ((${#p[@]})) || return 0
    if ((npos < ${#p[@]})); then
        kind=${p[npos]}
    else
        kind=${p[${#p[@]} - 1]}
        [[ $kind == *'*' ]] || return 0
    fi
    case ${kind%'*'} in
        names) _actloss_names ;;
        choice)
            _actloss_positional "$cmd" "$npos"
            _actloss_add "$_c"
            ;;
        file | dir) _actloss_files "${kind%'*'}" ;;
    esac
    return 0
}

complete -F _actloss actloss

"""Shell completion scripts for bash, zsh and fish, generated from the app and the registry.

The scripts are static: every command, option, choice and function name is
written into them, so a TAB runs no Python process (the shell answers in a few
milliseconds; re-running the program on each TAB costs over 100 ms before the
shell does anything). ``tools/gen_completions.py`` writes them to
``completions/``; ``actloss completion SHELL`` prints the same text. The shell code itself lives
in templates, ``actloss/cli/shells/`` (bash.sh, zsh.zsh, fish.fish); this module writes only the
data tables in front of it.

Everything is read, nothing listed by hand:

* commands, their options, which options are switches and how many values the
  others take: from the Typer app;
* the choices of an option or argument: from its ``Literal``/``Enum`` type or
  its ``autocompletion`` callback (called once, here, with an empty word);
* file paths: options and arguments typed as paths or files, or whose metavar
  is ``FILE``, ``PATH`` or ``DIR``;
* function names: a command with a ``names`` argument (eval, grad, loss, plot)
  takes function names followed by their parameter options from the registry
  (choices and switches included; the app declares them hidden) and then ``--``
  and numbers; an argument called ``name``/``names``/``function`` takes one.
  Which kinds (activation, loss) a command's names may be is declared by the
  app as ``COMPLETE_NAMES = {"command": ("activation", ...)}``; without a
  declaration, every kind. The app's ``FAMILY_OPTIONS`` (``{"others":
  "vector"}``) are options that functions of one shape take. A function whose
  kind names a command (a loss, ``loss``) also brings that command's options,
  since ``grad LOSS`` hands its arguments to it.

Importing this module costs nothing: the app is built only to generate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

SHELLS = ("bash", "zsh", "fish")
PROG = "actloss"

_NAME_ARGUMENTS = ("name", "names", "function", "functions")
_FILE_METAVARS = ("FILE", "PATH", "FILENAME")
_DIR_METAVARS = ("DIR", "DIRECTORY")
_WORD = re.compile(r"^[A-Za-z0-9_.+-]+$")


# ---------------------------------------------------------------------------
# the model: what each command takes
# ---------------------------------------------------------------------------

@dataclass
class Option:
    names: tuple[str, ...]
    help: str = ""
    nargs: int = 1  # words of value; 0 for a switch
    choices: tuple[str, ...] = ()
    files: str = ""  # "file", "dir" or ""


@dataclass
class Positional:
    help: str = ""
    nargs: int = 1  # -1: any number
    choices: tuple[str, ...] = ()
    files: str = ""
    names: bool = False  # function names of the command's kinds


@dataclass
class Command:
    name: str
    help: str
    options: list[Option] = field(default_factory=list)
    positionals: list[Positional] = field(default_factory=list)
    free: bool = False  # free arguments: function names, their parameters, '--' and numbers
    kinds: tuple[str, ...] = ()
    shape_options: dict[str, str] = field(default_factory=dict)  # option -> shape of the functions taking it


@dataclass
class Fn:
    name: str
    kind: str
    shape: str
    summary: str
    aliases: tuple[str, ...]
    params: list[Option]


@dataclass
class Model:
    root_options: list[Option]
    commands: list[Command]
    functions: list[Fn]
    kinds: tuple[str, ...]

    def command(self, name: str) -> Command | None:
        return next((c for c in self.commands if c.name == name), None)

    def names(self, kinds: tuple[str, ...]) -> list[Fn]:
        return [f for f in self.functions if f.kind in kinds]

    def kind_commands(self) -> dict[str, Command]:
        """Kinds that name a command (loss): their functions bring its options elsewhere."""
        return {k: c for k in self.kinds if (c := self.command(k)) is not None and c.free}


def _first_sentence(text: str | None) -> str:
    text = " ".join((text or "").split())
    # a sentence ends at a period before a capital letter or the end, not in "e.g." or "..."
    m = re.match(r"(.+?)(?<!\.)\.(?=\s+[A-Z]|$)", text)
    out = m.group(1) if m else text
    # drop bracketed asides: [default: ...]
    return re.sub(r"\s*\[[^\]]*\]$", "", out).strip()


def _files_of(param) -> str:
    desc = getattr(param, "type_descriptor", None)
    if desc is not None and (getattr(desc, "is_file", False) or getattr(desc, "is_path", False)):
        info = getattr(desc, "parameter_info", None)
        if info is not None and getattr(info, "dir_okay", True) and not getattr(info, "file_okay", True):
            return "dir"
        return "file"
    metavar = (getattr(param, "metavar", None) or "").strip().upper()
    if metavar in _FILE_METAVARS:
        return "file"
    if metavar in _DIR_METAVARS:
        return "dir"
    return ""


def _choices_of(param, ctx) -> tuple[str, ...]:
    desc = getattr(param, "type_descriptor", None)
    if desc is not None and getattr(desc, "is_choice", False) and desc.choices is not None:
        return tuple(str(getattr(c, "value", c)) for c in desc.choices)
    try:
        items = param.shell_complete(ctx, "")
    except Exception:  # a callback that needs a real command line: nothing static to offer
        return ()
    return tuple(i.value for i in items if getattr(i, "type", "plain") == "plain" and i.value)


def _option(param, ctx) -> Option:
    switch = bool(getattr(param, "is_flag", False) or getattr(param, "count", False))
    # long names first, then short ones; sorted, since click may build the help option's names from a set
    names = tuple(sorted(param.opts, key=lambda n: (not n.startswith("--"), n))) + tuple(param.secondary_opts)
    return Option(
        names=names,
        help=_first_sentence(getattr(param, "help", "")),
        nargs=0 if switch else max(1, param.nargs),
        choices=() if switch else _choices_of(param, ctx),
        files="" if switch else _files_of(param),
    )


def _module_of(cmd):
    """The module that defines a command (its callback's), for the declarations it holds."""
    import sys

    callback = getattr(cmd, "callback", None)
    return sys.modules.get(getattr(callback, "__module__", "") or "")


def _declared_kinds(cmd, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    declared = getattr(_module_of(cmd), "COMPLETE_NAMES", None) or {}
    return tuple(declared.get(name, default))


def _shape_options(cmd, name: str) -> dict[str, str]:
    family = (getattr(_module_of(cmd), "FAMILY_OPTIONS", None) or {}).get(name, {})
    return {"--" + o.replace("_", "-"): s for o, s in family.items()}


def build_model() -> Model:
    """Read the commands from the Typer app and the functions from the registry."""
    from typer import _click as click
    from typer.main import get_command

    from actloss import registry
    from actloss.cli.typer_app import app

    reg = registry.load()
    all_kinds = tuple(k for k in registry.KINDS if any(r.kind == k for r in reg))
    group = get_command(app)
    root_ctx = click.Context(group, info_name=PROG, **(group.context_settings or {}))

    root_options = [_option(p, root_ctx) for p in group.get_params(root_ctx) if p.param_type_name == "option" and not p.hidden]
    commands = []
    for name, cmd in group.commands.items():
        if getattr(cmd, "hidden", False):
            continue
        settings = dict(cmd.context_settings or {})
        ctx = click.Context(cmd, info_name=name, parent=root_ctx, **settings)
        c = Command(name=name, help=_first_sentence(cmd.short_help or (cmd.help or "").split("\n\n")[0]))
        # a command of function names and their parameters ('--' and numbers too)
        c.free = any(p.param_type_name == "argument" and p.name == "names" for p in cmd.params)
        c.kinds = _declared_kinds(cmd, name, all_kinds)
        c.shape_options = _shape_options(cmd, name) if c.free else {}
        for p in cmd.get_params(ctx):
            if getattr(p, "hidden", False):
                continue
            if p.param_type_name == "option":
                c.options.append(_option(p, ctx))
            elif c.free and p.name == "names":
                continue  # the function names: offered from the registry by kind
            else:
                is_names = p.name in _NAME_ARGUMENTS
                c.positionals.append(Positional(
                    help=_first_sentence(getattr(p, "help", "")),
                    nargs=p.nargs,
                    choices=() if is_names else _choices_of(p, ctx),
                    files="" if is_names else _files_of(p),
                    names=is_names,
                ))
        commands.append(c)

    functions = []
    for r in reg:
        params = [
            Option(
                names=p.options,
                help=_first_sentence(p.doc),
                nargs=0 if p.flag else 1,
                choices=tuple(p.choices),
            )
            for p in r.params
        ]
        functions.append(Fn(r.name, r.kind, r.shape, r.summary, tuple(r.aliases), params))
    model = Model(root_options, commands, functions, all_kinds)
    _check_words(model)
    return model


def _check_words(model: Model) -> None:
    """Names, options and choices go into the scripts unquoted: refuse anything but plain words."""
    words = [c.name for c in model.commands]
    for opts in [model.root_options] + [c.options for c in model.commands] + [f.params for f in model.functions]:
        for o in opts:
            words.extend(o.names)
            words.extend(o.choices)
    for c in model.commands:
        for p in c.positionals:
            words.extend(p.choices)
        words.extend(c.shape_options)
    for f in model.functions:
        words.append(f.name)
        words.extend(f.aliases)
    bad = [w for w in words if not _WORD.match(w)]
    if bad:
        raise ValueError(f"cannot write {bad[0]!r} into a completion script")


# ---------------------------------------------------------------------------
# data common to the scripts
# ---------------------------------------------------------------------------

def _key(name: str) -> str:
    """The registry's lookup key (case-insensitive, '-' same as '_'), as the scripts compute it."""
    return name.lower().replace("-", "_")


def _alias_map(model: Model) -> list[tuple[list[str], Fn]]:
    """Each function with every spelling that the scripts should recognise."""
    out = []
    for f in model.functions:
        keys = []
        for n in (f.name, *f.aliases):
            k = _key(n)
            if k not in keys:
                keys.append(k)
        out.append((keys, f))
    return out


def _spellings(f: Fn) -> tuple[list[str], list[str]]:
    """A function's aliases split in two: other names (swish for silu) and mere variants of a
    name already offered (leakyrelu for leaky_relu), offered only when nothing else matches."""
    seen = {f.name.replace("_", "")}
    others, variants = [], []
    for a in f.aliases:
        squashed = a.replace("_", "")
        (variants if squashed in seen else others).append(a)
        seen.add(squashed)
    return others, variants


def _flag_params(model: Model) -> list[str]:
    """Parameter options that are switches in some function: they take no value."""
    out: list[str] = []
    for f in model.functions:
        for p in f.params:
            if p.nargs == 0:
                out.extend(n for n in p.names if n not in out)
    return out


def _param_choices(model: Model) -> list[tuple[list[tuple[str, str]], tuple[str, ...]]]:
    """(function, option) pairs grouped by their choices."""
    groups: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for f in model.functions:
        for p in f.params:
            if p.choices:
                groups.setdefault(p.choices, []).extend((f.name, n) for n in p.names)
    return [(pairs, choices) for choices, pairs in groups.items()]


def _command_values(model: Model):
    """(command, option) -> (nargs, choices, files), for every option of every command and the root."""
    rows = []
    for c in model.commands:
        for o in c.options:
            rows.append((c.name, o))
        for o, _shape in c.shape_options.items():
            rows.append((c.name, Option(names=(o,), nargs=1)))
    return rows


def _kinds_word(kinds: tuple[str, ...]) -> str:
    return " ".join(kinds)


def _param_words(f: Fn) -> str:
    return " ".join(n for p in f.params for n in p.names)


HEADER = """Completion of {prog} for {shell}: commands, options and their choices, function
names, their parameters, and file paths. Generated by tools/gen_completions.py from
the commands and the function registry: do not edit; regenerate it."""


def _header(shell: str, comment: str = "#") -> str:
    return "\n".join(f"{comment} {line}" for line in HEADER.format(prog=PROG, shell=shell).splitlines())


# ---------------------------------------------------------------------------
# POSIX-style case tables, shared by bash and zsh
# ---------------------------------------------------------------------------

def _case_tables(model: Model, shell: str) -> str:
    """Data functions in syntax that bash and zsh both read (case/esac, plain assignments)."""
    p = "_" + PROG
    out: list[str] = []
    w = out.append

    w(f"{p}_fn() {{")
    w("    # $1: a typed name (any case, - or _) -> _f canonical name, _k kind, _s shape; empty if unknown")
    w("    case $1 in")
    for keys, f in _alias_map(model):
        w(f"        {'|'.join(keys)}) _f={f.name} _k={f.kind} _s={f.shape} ;;")
    w("        *) _f= _k= _s= ;;")
    w("    esac")
    w("}")
    w("")
    w(f"{p}_params() {{")
    w("    # $1: canonical name -> _po its parameter options")
    w("    case $1 in")
    for f in model.functions:
        if f.params:
            w(f"        {f.name}) _po='{_param_words(f)}' ;;")
    w("        *) _po= ;;")
    w("    esac")
    w("}")
    w("")
    w(f"{p}_param_choices() {{")
    w("    # $1: canonical name, $2: option -> _c its choices")
    w('    case "$1 $2" in')
    for pairs, choices in _param_choices(model):
        pats = "|".join(f"'{fn} {opt}'" for fn, opt in pairs)
        w(f"        {pats}) _c='{' '.join(choices)}' ;;")
    w("        *) _c= ;;")
    w("    esac")
    w("}")
    w("")
    w(f"{p}_command() {{")
    w("    # $1: command -> _o options, _kinds of its function names, _free (1: names, parameters, -- numbers),")
    w("    # _pos (what each argument is: names, choice, file, dir or any; * repeats), _so options by shape")
    w("    case $1 in")
    for c in model.commands:
        opts = " ".join(n for o in c.options for n in o.names)
        pos = []
        for a in c.positionals:
            kind = "names" if a.names else "choice" if a.choices else a.files or "any"
            pos.extend([kind] * a.nargs if a.nargs > 0 else [kind + "*"])
        so = " ".join(f"{o}:{s}" for o, s in c.shape_options.items())
        w(f"        {c.name}) _o='{opts}' _kinds='{_kinds_word(c.kinds)}' _free={int(c.free)} _pos='{' '.join(pos)}' _so='{so}' ;;")
    w("        *) _o= _kinds= _free=0 _pos= _so= ;;")
    w("    esac")
    w("}")
    w("")
    w(f"{p}_option() {{")
    w("    # $1: command ('' for none), $2: option -> _n words of value (-1: unknown), _c choices, _x file/dir")
    w("    _c= _x=")
    w('    case "$1 $2" in')
    for o in model.root_options:
        pats = "|".join(f"' {n}'" for n in o.names)
        w(f"        {pats}) _n={o.nargs} ;;")
    for cmd, o in _command_values(model):
        pats = "|".join(f"'{cmd} {n}'" for n in o.names)
        extra = ""
        if o.choices:
            extra += f" _c='{' '.join(o.choices)}'"
        if o.files:
            extra += f" _x={o.files}"
        w(f"        {pats}) _n={o.nargs}{extra} ;;")
    w("        *) _n=-1 ;;")
    w("    esac")
    w("}")
    w("")
    w(f"{p}_positional() {{")
    w("    # $1: command, $2: index of the argument (0-based) -> _c choices")
    w('    _c=')
    w('    case "$1 $2" in')
    for c in model.commands:
        for i, a in enumerate(c.positionals):
            if a.choices:
                w(f"        '{c.name} {i}') _c='{' '.join(a.choices)}' ;;")
    w("    esac")
    w("}")
    w("")
    w(f"{p}_names_of() {{")
    w("    # $1: kinds -> _names canonical names, _aliases other names, _variants other spellings")
    w("    _names= _aliases= _variants=")
    w("    local k")
    w("    for k in " + ("${=1}" if shell == "zsh" else "$1") + "; do")
    w("        case $k in")
    for kind in model.kinds:
        fns = model.names((kind,))
        names = " ".join(f.name for f in fns)
        aliases = " ".join(a for f in fns for a in _spellings(f)[0])
        variants = " ".join(a for f in fns for a in _spellings(f)[1])
        w(f"            {kind}) _names+=' {names}' _aliases+=' {aliases}' _variants+=' {variants}' ;;")
    w("        esac")
    w("    done")
    w("}")
    w("")
    w(f"{p}_flags=' {' '.join(_flag_params(model))} '")
    w(f"{p}_commands='{' '.join(c.name for c in model.commands)}'")
    w(f"{p}_root_options='{' '.join(n for o in model.root_options for n in o.names)}'")
    kc = model.kind_commands()
    w(f"{p}_kind_commands=' {' '.join(f'{k}:{c.name}' for k, c in kc.items())} '")
    return "\n".join(out)


# The scan of the words before the cursor, in the same steps in every shell:
#   1. the first word that is no option is the command;
#   2. after it: '--' ends the options (numbers follow); an option taking a value skips
#      its value(s) (options of the command or of the root, parameters of the functions
#      named so far: one value unless a switch); other words are arguments: a function
#      name is remembered, a number ends the names;
#   3. the word under the cursor is then: the value of an option (choices, files), an
#      option (of the command and of the functions named), or an argument (function
#      names of the command's kinds: canonical names, or aliases when none matches;
#      the choices or files of a declared argument).



def bash(model: Model | None = None) -> str:
    model = model or build_model()
    tables = _case_tables(model, "bash")
    return "\n".join([_header("bash"), "", tables, _template("bash.sh").rstrip("\n"), ""]).replace("actloss", PROG)


# ---------------------------------------------------------------------------
# zsh
# ---------------------------------------------------------------------------

def _zq(text: str) -> str:
    """A single-quoted zsh word."""
    return "'" + text.replace("'", "'\\''") + "'"


def _zitem(word: str, desc: str) -> str:
    return _zq(word.replace(":", "\\:") + (":" + desc if desc else ""))


def _zsh_descriptions(model: Model) -> str:
    p = "_" + PROG
    out: list[str] = []
    w = out.append
    w(f"{p}_described_commands() {{")
    w("    reply=(")
    for c in model.commands:
        w(f"        {_zitem(c.name, c.help)}")
    w("    )")
    w("}")
    w("")
    w(f"{p}_option_help() {{")
    w("    # $1: command ('' for the root, =NAME for a function's parameters), $2: option -> _h")
    w('    case "$1 $2" in')
    for o in model.root_options:
        w(f"        {'|'.join(_zq(' ' + n) for n in o.names)}) _h={_zq(o.help)} ;;")
    for c in model.commands:
        for o in c.options:
            w(f"        {'|'.join(_zq(c.name + ' ' + n) for n in o.names)}) _h={_zq(o.help)} ;;")
        for o, shape in c.shape_options.items():
            w(f"        {_zq(c.name + ' ' + o)}) _h={_zq('for the ' + shape + ' functions')} ;;")
    for f in model.functions:
        for o in f.params:
            w(f"        {'|'.join(_zq('=' + f.name + ' ' + n) for n in o.names)}) _h={_zq(o.help)} ;;")
    w("        *) _h= ;;")
    w("    esac")
    w("}")
    w("")
    w(f"{p}_described_names() {{")
    w("    # $1: kinds -> _dn canonical names, _da other names, _dv other spellings (word:description)")
    w("    _dn=() _da=() _dv=()")
    w("    local k")
    w("    for k in ${=1}; do")
    w("        case $k in")
    for kind in model.kinds:
        w(f"            {kind})")
        fns = model.names((kind,))
        w("                _dn+=(")
        for f in fns:
            w(f"                    {_zitem(f.name, f.summary)}")
        w("                )")
        w("                _da+=(")
        for f in fns:
            for a in _spellings(f)[0]:
                w(f"                    {_zitem(a, 'alias of ' + f.name)}")
        w("                )")
        w("                _dv+=(")
        for f in fns:
            for a in _spellings(f)[1]:
                w(f"                    {_zitem(a, 'alias of ' + f.name)}")
        w("                )")
        w("                ;;")
    w("        esac")
    w("    done")
    w("}")
    return "\n".join(out)





def zsh(model: Model | None = None) -> str:
    model = model or build_model()
    parts = [
        f"#compdef {PROG}",
        _header("zsh"),
        "",
        _case_tables(model, "zsh"),
        "",
        _zsh_descriptions(model),
        _template("zsh.zsh").rstrip("\n"),
        "",
    ]
    return "\n".join(parts).replace("_actloss", "_" + PROG)


# ---------------------------------------------------------------------------
# fish
# ---------------------------------------------------------------------------

def _fq(text: str) -> str:
    """A single-quoted fish word."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fprint(pairs: list[tuple[str, str]], indent: str) -> str:
    args = " ".join(f"{_fq(a)} {_fq(b)}" for a, b in pairs)
    return f"{indent}printf '%s\\t%s\\n' {args}"


def _fish_tables(model: Model) -> str:
    p = "__" + PROG
    out: list[str] = []
    w = out.append
    w(f"function {p}_fn --description 'canonical name, kind and shape of a typed name (lower case, _ for -)'")
    w("    switch $argv[1]")
    for keys, f in _alias_map(model):
        w(f"        case {' '.join(keys)}")
        w(f"            printf '%s\\n' {f.name} {f.kind} {f.shape}")
    w("    end")
    w("end")
    w("")
    w(f"function {p}_params --description 'parameter options of a function: option<TAB>description'")
    w("    switch $argv[1]")
    for f in model.functions:
        if f.params:
            w(f"        case {f.name}")
            w(_fprint([(n, o.help) for o in f.params for n in o.names], "            "))
    w("    end")
    w("end")
    w("")
    w(f"function {p}_param_choices --description 'choices of a parameter option of a function'")
    w('    switch "$argv[1] $argv[2]"')
    for pairs, choices in _param_choices(model):
        w(f"        case {' '.join(_fq(fn + ' ' + opt) for fn, opt in pairs)}")
        w(f"            printf '%s\\n' {' '.join(choices)}")
    w("    end")
    w("end")
    w("")
    w(f"function {p}_flags --description 'parameter options that are switches'")
    w(f"    printf '%s\\n' {' '.join(_flag_params(model))}")
    w("end")
    w("")
    w(f"function {p}_kind_commands --description 'kinds of function that name a command: kind:command'")
    kc = model.kind_commands()
    if kc:
        w(f"    printf '%s\\n' {' '.join(f'{k}:{c.name}' for k, c in kc.items())}")
    w("end")
    w("")
    w(f"function {p}_commands --description 'the commands: command<TAB>description'")
    w(_fprint([(c.name, c.help) for c in model.commands], "    "))
    w("end")
    w("")
    w(f"function {p}_command --description 'a command: kinds of its names, free arguments (1/0), arguments, options by shape'")
    w("    switch $argv[1]")
    for c in model.commands:
        pos = []
        for a in c.positionals:
            kind = "names" if a.names else "choice" if a.choices else a.files or "any"
            pos.extend([kind] * a.nargs if a.nargs > 0 else [kind + "*"])
        so = " ".join(f"{o}:{sh}" for o, sh in c.shape_options.items())
        w(f"        case {c.name}")
        w(f"            printf '%s\\n' {_fq(_kinds_word(c.kinds))} {int(c.free)} {_fq(' '.join(pos))} {_fq(so)}")
    w("    end")
    w("end")
    w("")
    w(f"function {p}_options --description 'options of a command (the root for none): option<TAB>description'")
    w("    switch $argv[1]")
    w("        case ''")
    w(_fprint([(n, o.help) for o in model.root_options for n in o.names], "            "))
    for c in model.commands:
        pairs = [(n, o.help) for o in c.options for n in o.names]
        w(f"        case {c.name}")
        w(_fprint(pairs, "            "))
    w("    end")
    w("end")
    w("")
    w(f"function {p}_shape_option_help")
    w("    echo \"for the $argv[1] functions\"")
    w("end")
    w("")
    w(f"function {p}_option --description 'an option of a command: words of value (-1: unknown), file/dir/-, choices'")
    w('    switch "$argv[1] $argv[2]"')
    rows = [("", o) for o in model.root_options] + _command_values(model)
    for cmd, o in rows:
        w(f"        case {' '.join(_fq(cmd + ' ' + n) for n in o.names)}")
        w(f"            printf '%s\\n' {o.nargs} {o.files or '-'} {' '.join(o.choices)}".rstrip())
    w("        case '*'")
    w("            printf '%s\\n' -1 -")
    w("    end")
    w("end")
    w("")
    w(f"function {p}_positional --description 'choices of an argument of a command (0-based)'")
    w('    switch "$argv[1] $argv[2]"')
    for c in model.commands:
        for i, a in enumerate(c.positionals):
            if a.choices:
                w(f"        case {_fq(f'{c.name} {i}')}")
                w(f"            printf '%s\\n' {' '.join(a.choices)}")
    w("    end")
    w("end")
    w("")
    w(f"function {p}_names --description 'function names of a tier (name, alias, variant) and kind: name<TAB>description'")
    w('    switch "$argv[1] $argv[2]"')
    for kind in model.kinds:
        fns = model.names((kind,))
        w(f"        case {_fq('name ' + kind)}")
        w(_fprint([(f.name, f.summary) for f in fns], "            "))
        for tier, idx in (("alias", 0), ("variant", 1)):
            pairs = [(a, "alias of " + f.name) for f in fns for a in _spellings(f)[idx]]
            if pairs:
                w(f"        case {_fq(tier + ' ' + kind)}")
                w(_fprint(pairs, "            "))
    w("    end")
    w("end")
    return "\n".join(out)




def fish(model: Model | None = None) -> str:
    model = model or build_model()
    parts = [_header("fish"), "", _fish_tables(model), _template("fish.fish").rstrip("\n"), ""]
    return "\n".join(parts).replace("__actloss", "__" + PROG).replace("-c actloss", "-c " + PROG)


def _template(name: str) -> str:
    """The static shell code of a script: ``actloss/cli/shells/NAME`` (the generator adds only data)."""
    import os

    with open(os.path.join(os.path.dirname(__file__), "shells", name), encoding="utf-8") as fh:
        return fh.read()


def generate(shell: str, model: Model | None = None) -> str:
    """The completion script of ``shell`` (bash, zsh or fish)."""
    makers = {"bash": bash, "zsh": zsh, "fish": fish}
    if shell not in makers:
        raise ValueError(f"unknown shell {shell!r}: one of {', '.join(SHELLS)}")
    return makers[shell](model)


FILES = {"bash": "actloss.bash", "zsh": "_actloss", "fish": "actloss.fish"}


def run(numbers=(), shell: str = "bash") -> None:
    """``actloss completion SHELL``."""
    import sys

    if numbers:
        from actloss.errors import InputError

        raise InputError(f"completion takes one SHELL (bash, zsh or fish), got {numbers[0]!r}")
    sys.stdout.write(generate(shell))

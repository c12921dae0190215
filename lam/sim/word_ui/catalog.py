"""Word's window as UI Automation reports it: typed access to the YAML catalog next to this file.

The catalog describes Word for Microsoft 365 (desktop, Windows) control by control: the window
chrome (``chrome.yaml``), every ribbon tab with its groups (``tabs.yaml``), the drop-down menus
and galleries (``menus.yaml``), the dialogs and message boxes (``dialogs.yaml``) and the File
backstage (``backstage.yaml``). Each control is a UIA ControlType and Name, the pair UFO reports
as ``control_type`` and ``control_text``. :func:`screen` lists the controls one screen state
shows, in the order UIA enumerates them: the main window top-left to bottom-right, then a modal
dialog, then an open drop-down.

The data files say how they are written (their header comments); ``docs/word-screens.md`` says
where the names come from and how narrow windows collapse ribbon groups.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal, TypedDict, get_args

import yaml
from typing_extensions import Unpack

DATA_DIR = Path(__file__).resolve().parent

Width = Literal["wide", "medium", "narrow"]
WIDTHS: tuple[Width, ...] = get_args(Width)
# A ribbon group collapses into one drop-down Button at a width whose threshold is at least the
# group's collapse priority (priority 1 goes first; priorities above 3 never collapse).
COLLAPSE_THRESHOLD: Mapping[Width, int] = {"wide": 0, "medium": 1, "narrow": 3}

# UI Automation control types (UIA_<Name>ControlTypeId), by the names UFO reports as control_type.
CONTROL_TYPES: frozenset[str] = frozenset(
    {
        "AppBar", "Button", "Calendar", "CheckBox", "ComboBox", "Custom", "DataGrid", "DataItem",
        "Document", "Edit", "Group", "Header", "HeaderItem", "Hyperlink", "Image", "List",
        "ListItem", "Menu", "MenuBar", "MenuItem", "Pane", "ProgressBar", "RadioButton",
        "ScrollBar", "SemanticZoom", "Separator", "Slider", "Spinner", "SplitButton", "StatusBar",
        "Tab", "TabItem", "Table", "Text", "Thumb", "TitleBar", "ToolBar", "ToolTip", "Tree",
        "TreeItem", "Window",
    }
)  # fmt: skip
MAX_NAME_LENGTH = 128
CHROME_PLACES = ("title", "tab_row", "ribbon_end", "document", "bottom")
TAB_LIST = "Ribbon Tabs"
COLLAPSED_GROUP_MENU = "group:"  # open_menu key of a collapsed group's drop-down: "group:<name>"
TITLE_BAR_GROUP = "Title Bar"

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_CONTROL_KEYS = frozenset({"menu", "dialog", "page", "value", "widths", "maximized", "expanded"})


class CatalogError(ValueError):
    """The catalog's data is malformed, or a screen state names something the catalog lacks."""


@dataclass(frozen=True, slots=True)
class UiControl:
    """One control on screen, as UFO would report it (``control_type``, ``control_text``).

    ``group`` is the ribbon group, menu section or dialog group box it sits in; ``parent`` the
    area that holds it: a chrome section, the tab (its TabItem name), the open menu's or dialog's
    key, the backstage page (``"File"`` for the backstage navigation). ``menu``, ``dialog`` and
    ``page`` name what clicking it opens, as :func:`screen` takes them (``open_menu``, ``dialog``,
    ``backstage_page``); ``value`` is what an Edit, ComboBox, Spinner or CheckBox shows, or
    ``"Selected"`` on the selected TabItem and backstage page.
    """

    control_type: str
    name: str
    group: str | None = None
    parent: str | None = None
    value: str | None = None
    menu: str | None = None
    dialog: str | None = None
    page: str | None = None


@dataclass(frozen=True, slots=True)
class _State:
    width: Width
    maximized: bool
    expanded: bool
    values: Mapping[str, str]

    def fill(self, text: str | None) -> str | None:
        if text is None:
            return None

        def one(match: re.Match[str]) -> str:
            key = match.group(1)
            if key not in self.values:
                raise CatalogError(f"no value for placeholder {{{key}}} in {text!r}")
            return self.values[key]

        return _PLACEHOLDER.sub(one, text)


@dataclass(frozen=True, slots=True)
class ControlSpec:
    """A control as the catalog holds it: what it is, and on which screen states it shows."""

    control_type: str
    name: str
    group: str | None = None
    value: str | None = None
    menu: str | None = None
    dialog: str | None = None
    page: str | None = None
    widths: frozenset[str] | None = None
    maximized: bool | None = None
    expanded: bool | None = None

    def shows(self, state: _State) -> bool:
        return (
            (self.widths is None or state.width in self.widths)
            and (self.maximized is None or self.maximized == state.maximized)
            and (self.expanded is None or self.expanded == state.expanded)
        )

    def render(self, state: _State, parent: str | None, group: str | None = None) -> UiControl:
        return UiControl(
            control_type=self.control_type,
            name=state.fill(self.name) or "",
            group=group if group is not None else self.group,
            parent=parent,
            value=state.fill(self.value),
            menu=self.menu,
            dialog=self.dialog,
            page=self.page,
        )


@dataclass(frozen=True, slots=True)
class ChromeSection:
    name: str
    place: str
    container: str | None
    backstage: bool
    controls: tuple[ControlSpec, ...]


@dataclass(frozen=True, slots=True)
class RibbonGroup:
    name: str
    collapse: int
    controls: tuple[ControlSpec, ...]

    def collapsed(self, width: Width) -> bool:
        return self.collapse <= COLLAPSE_THRESHOLD[width]


@dataclass(frozen=True, slots=True)
class Tab:
    key: str
    name: str
    groups: tuple[RibbonGroup, ...]
    contextual: bool = False
    tab_set: str | None = None
    backstage: bool = False
    document: tuple[ControlSpec, ...] = ()

    def group(self, name: str) -> RibbonGroup:
        for g in self.groups:
            if g.name == name:
                return g
        raise CatalogError(f"tab {self.key!r} has no group {name!r}")


@dataclass(frozen=True, slots=True)
class Menu:
    key: str
    title: str
    items: tuple[ControlSpec, ...]


@dataclass(frozen=True, slots=True)
class DialogPage:
    name: str | None  # the TabItem of a tabbed dialog; None for a dialog without tabs
    controls: tuple[ControlSpec, ...]


@dataclass(frozen=True, slots=True)
class Dialog:
    key: str
    title: str
    pages: tuple[DialogPage, ...]
    footer: tuple[ControlSpec, ...] = ()
    default_tab: str | None = None
    title_bar: bool = True

    @property
    def tabs(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.pages if p.name is not None)

    def page(self, tab: str | None) -> DialogPage:
        if not self.tabs:
            if tab is not None:
                raise CatalogError(f"dialog {self.key!r} has no tabs (asked for {tab!r})")
            return self.pages[0]
        wanted = tab or self.default_tab or self.tabs[0]
        for p in self.pages:
            if p.name == wanted:
                return p
        raise CatalogError(f"dialog {self.key!r} has no tab {wanted!r}; it has {list(self.tabs)}")

    def controls(self, tab: str | None) -> tuple[ControlSpec, ...]:
        """Every control of one tab page and the footer, whatever the expanded state."""
        return self.page(tab).controls + self.footer


@dataclass(frozen=True, slots=True)
class Backstage:
    default_page: str
    navigation: tuple[ControlSpec, ...]
    pages: Mapping[str, tuple[ControlSpec, ...]]


@dataclass(frozen=True)
class Catalog:
    defaults: Mapping[str, str]
    sections: tuple[ChromeSection, ...]
    tabs: Mapping[str, Tab]
    menus: Mapping[str, Menu]
    dialogs: Mapping[str, Dialog]
    backstage: Backstage
    palettes: Mapping[str, tuple[str, ...]]

    @property
    def regular_tabs(self) -> tuple[str, ...]:
        """Keys of the tabs always in the tab list, File first, in the tab list's order."""
        return tuple(k for k, t in self.tabs.items() if not t.contextual)

    @property
    def contextual_tabs(self) -> tuple[str, ...]:
        return tuple(k for k, t in self.tabs.items() if t.contextual)

    def screen(
        self,
        tab: str,
        *,
        width: Width = "wide",
        open_menu: str | None = None,
        dialog: str | None = None,
        contextual: Sequence[str] = (),
        backstage_page: str | None = None,
        dialog_tab: str | None = None,
        dialog_expanded: bool = False,
        maximized: bool = True,
        values: Mapping[str, str] | None = None,
    ) -> list[UiControl]:
        """The controls one screen state shows, in UIA's enumeration order (see :func:`screen`)."""
        if width not in WIDTHS:
            raise CatalogError(f"unknown width {width!r}; widths are {list(WIDTHS)}")
        for key in contextual:
            if key not in self.contextual_tabs:
                raise CatalogError(f"{key!r} is not a contextual tab; they are {list(self.contextual_tabs)}")
        selected = self.tabs.get(tab)
        if selected is None:
            raise CatalogError(f"unknown tab {tab!r}; tabs are {list(self.tabs)}")
        if selected.contextual and tab not in contextual:
            raise CatalogError(f"contextual tab {tab!r} is selected but not shown (contextual={tuple(contextual)})")
        if backstage_page is not None and not selected.backstage:
            raise CatalogError(f"backstage_page={backstage_page!r} needs tab='File', not {tab!r}")
        state = _State(width, maximized, dialog_expanded, {**self.defaults, **(values or {})})

        out: list[UiControl] = []
        if selected.backstage:
            self._backstage(state, backstage_page, out)
        else:
            self._main_window(state, selected, tuple(contextual), out)
        if dialog is not None:
            self._dialog(state, dialog, dialog_tab, out)
        elif dialog_tab is not None:
            raise CatalogError("dialog_tab given without a dialog")
        if open_menu is not None:
            self._menu(state, selected, open_menu, out)
        return out

    # ---- the parts of a screen

    def _sections(self, state: _State, place: str, out: list[UiControl], *, backstage: bool = False) -> None:
        for section in self.sections:
            if section.place != place or (backstage and not section.backstage):
                continue
            parent = state.fill(section.name)
            if section.container is not None:
                out.append(UiControl(section.container, parent or ""))
            out.extend(c.render(state, parent) for c in section.controls if c.shows(state))

    def _tab_list(self, state: _State, selected: Tab, contextual: tuple[str, ...], out: list[UiControl]) -> None:
        out.append(UiControl("Tab", TAB_LIST))
        for key, tab in self.tabs.items():
            if tab.contextual and key not in contextual:
                continue
            out.append(
                UiControl("TabItem", tab.name, group=tab.tab_set, parent=TAB_LIST, value=_selected(tab, selected))
            )

    def _main_window(self, state: _State, selected: Tab, contextual: tuple[str, ...], out: list[UiControl]) -> None:
        self._sections(state, "title", out)
        self._tab_list(state, selected, contextual, out)
        self._sections(state, "tab_row", out)
        for group in selected.groups:
            if group.collapsed(state.width):
                out.append(
                    UiControl("Button", group.name, group=group.name, parent=selected.name,
                              menu=COLLAPSED_GROUP_MENU + group.name)
                )  # fmt: skip
                continue
            out.append(UiControl("Group", group.name, parent=selected.name))
            out.extend(c.render(state, selected.name, group.name) for c in group.controls if c.shows(state))
        self._sections(state, "ribbon_end", out)
        self._sections(state, "document", out)
        document_area = next(s.name for s in self.sections if s.place == "document")
        for key in self.tabs:
            if key in contextual:
                out.extend(c.render(state, document_area) for c in self.tabs[key].document if c.shows(state))
        self._sections(state, "bottom", out)

    def _backstage(self, state: _State, page: str | None, out: list[UiControl]) -> None:
        page = page or self.backstage.default_page
        if page not in self.backstage.pages:
            raise CatalogError(f"unknown backstage page {page!r}; pages are {list(self.backstage.pages)}")
        self._sections(state, "title", out, backstage=True)
        for c in self.backstage.navigation:
            if c.shows(state):
                shown = c.render(state, "File")
                out.append(shown if c.page != page else _with_value(shown, "Selected"))
        out.extend(c.render(state, page) for c in self.backstage.pages[page] if c.shows(state))

    def _dialog(self, state: _State, key: str, tab: str | None, out: list[UiControl]) -> None:
        dialog = self.dialogs.get(key)
        if dialog is None:
            raise CatalogError(f"unknown dialog {key!r}; dialogs are {list(self.dialogs)}")
        title = state.fill(dialog.title) or ""
        page = dialog.page(tab)
        out.append(UiControl("Window", title))
        if dialog.title_bar:
            out.append(UiControl("Button", "Close", group=TITLE_BAR_GROUP, parent=key))
        for name in dialog.tabs:
            out.append(UiControl("TabItem", name, parent=key, value="Selected" if name == page.name else None))
        out.extend(c.render(state, key) for c in page.controls + dialog.footer if c.shows(state))

    def _menu(self, state: _State, selected: Tab, key: str, out: list[UiControl]) -> None:
        if key.startswith(COLLAPSED_GROUP_MENU):
            group = selected.group(key.removeprefix(COLLAPSED_GROUP_MENU))
            if not group.collapsed(state.width):
                raise CatalogError(f"group {group.name!r} is not collapsed at width {state.width!r}")
            wide = _State("wide", state.maximized, state.expanded, state.values)
            out.append(UiControl("Menu", group.name))
            out.extend(c.render(wide, key, group.name) for c in group.controls if c.shows(wide))
            return
        menu = self.menus.get(key)
        if menu is None:
            raise CatalogError(f"unknown menu {key!r}; menus are {list(self.menus)}")
        title = state.fill(menu.title) or ""
        out.append(UiControl("Menu", title))
        out.extend(c.render(state, key) for c in menu.items if c.shows(state))


def _selected(tab: Tab, selected: Tab) -> str | None:
    return "Selected" if tab is selected else None


def _with_value(control: UiControl, value: str) -> UiControl:
    return UiControl(
        control.control_type, control.name, control.group, control.parent, value, control.menu, control.dialog,
        control.page,
    )  # fmt: skip


# ---- loading


def _str(raw: object, where: str, *, optional: bool = False) -> str | None:
    if raw is None and optional:
        return None
    if not isinstance(raw, str) or not raw.strip():
        raise CatalogError(f"{where}: expected a non-empty string, got {raw!r} (quote names YAML reads otherwise)")
    if len(raw) > MAX_NAME_LENGTH:
        raise CatalogError(f"{where}: {raw[:40]!r}... is longer than {MAX_NAME_LENGTH} characters")
    return raw


def _req(raw: object, where: str) -> str:
    text = _str(raw, where)
    assert text is not None
    return text


def _mapping(raw: object, where: str) -> dict[str, object]:
    if not isinstance(raw, dict) or not all(isinstance(k, str) for k in raw):
        raise CatalogError(f"{where}: expected a mapping, got {raw!r}")
    return raw


def _list(raw: object, where: str) -> list[object]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise CatalogError(f"{where}: expected a list, got {raw!r}")
    return raw


def _bool(raw: object, where: str) -> bool | None:
    if raw is None or isinstance(raw, bool):
        return raw
    raise CatalogError(f"{where}: expected true or false, got {raw!r}")


def _control(raw: dict[str, object], group: str | None, where: str) -> ControlSpec:
    types = [k for k in raw if k not in _CONTROL_KEYS]
    if len(types) != 1 or types[0] not in CONTROL_TYPES:
        raise CatalogError(f"{where}: {raw!r} needs exactly one UIA control type key (one of the known types)")
    control_type = types[0]
    where = f"{where} {control_type}"
    widths: frozenset[str] | None = None
    if "widths" in raw:
        widths = frozenset(_req(w, where + " widths") for w in _list(raw["widths"], where))
        if not widths or not widths <= set(WIDTHS):
            raise CatalogError(f"{where}: widths {sorted(widths)} must be a non-empty subset of {list(WIDTHS)}")
    return ControlSpec(
        control_type=control_type,
        name=_req(raw[control_type], where),
        group=group,
        value=_str(raw.get("value"), where + " value", optional=True),
        menu=_str(raw.get("menu"), where + " menu", optional=True),
        dialog=_str(raw.get("dialog"), where + " dialog", optional=True),
        page=_str(raw.get("page"), where + " page", optional=True),
        widths=widths,
        maximized=_bool(raw.get("maximized"), where + " maximized"),
        expanded=_bool(raw.get("expanded"), where + " expanded"),
    )


def _items(raw: object, where: str, palettes: Mapping[str, tuple[str, ...]] | None = None) -> tuple[ControlSpec, ...]:
    """A list of controls with the ``section``, ``palette`` and ``grid`` directives expanded."""
    out: list[ControlSpec] = []
    section: str | None = None
    for i, entry in enumerate(_list(raw, where)):
        item = _mapping(entry, f"{where}[{i}]")
        if "section" in item:
            section = _str(item["section"], f"{where}[{i}] section", optional=True)
        elif "palette" in item and palettes is not None:
            name = _req(item["palette"], f"{where}[{i}] palette")
            if name not in palettes:
                raise CatalogError(f"{where}[{i}]: unknown palette {name!r}")
            out.extend(ControlSpec("ListItem", colour, group=name) for colour in palettes[name])
        elif "grid" in item:
            grid = _mapping(item["grid"], f"{where}[{i}] grid")
            columns, rows = grid.get("columns"), grid.get("rows")
            if not isinstance(columns, int) or not isinstance(rows, int) or columns < 1 or rows < 1:
                raise CatalogError(f"{where}[{i}]: grid needs positive integer columns and rows")
            control_type = _req(grid.get("control_type"), f"{where}[{i}] grid control_type")
            pattern = _req(grid.get("name"), f"{where}[{i}] grid name")
            out.extend(
                ControlSpec(control_type, pattern.format(column=c, row=r), group=section)
                for r in range(1, rows + 1)
                for c in range(1, columns + 1)
            )
        else:
            out.append(_control(item, section, f"{where}[{i}]"))
    return tuple(out)


def _read(directory: Path, name: str) -> dict[str, object]:
    path = directory / name
    with path.open(encoding="utf-8") as f:
        return _mapping(yaml.safe_load(f), name)


def _load_tabs(raw: object) -> dict[str, Tab]:
    tabs: dict[str, Tab] = {}
    for i, entry in enumerate(_list(raw, "tabs.yaml tabs")):
        item = _mapping(entry, f"tabs.yaml tabs[{i}]")
        key = _req(item.get("key"), f"tabs.yaml tabs[{i}] key")
        where = f"tabs.yaml {key}"
        if key in tabs:
            raise CatalogError(f"{where}: tab key given twice")
        groups: list[RibbonGroup] = []
        for j, g in enumerate(_list(item.get("groups"), where)):
            group = _mapping(g, f"{where} groups[{j}]")
            name = _req(group.get("name"), f"{where} groups[{j}] name")
            collapse = group.get("collapse")
            if not isinstance(collapse, int) or isinstance(collapse, bool) or collapse < 1:
                raise CatalogError(f"{where} {name}: collapse must be a positive integer, got {collapse!r}")
            groups.append(RibbonGroup(name, collapse, _items(group.get("controls"), f"{where} {name}")))
        contextual = bool(_bool(item.get("contextual"), where + " contextual"))
        tab_set = _str(item.get("tab_set"), where + " tab_set", optional=True)
        if contextual and tab_set is None:
            raise CatalogError(f"{where}: a contextual tab needs its tab_set")
        tabs[key] = Tab(
            key=key,
            name=_str(item.get("name"), where + " name", optional=True) or key,
            groups=tuple(groups),
            contextual=contextual,
            tab_set=tab_set,
            backstage=bool(_bool(item.get("backstage"), where + " backstage")),
            document=_items(item.get("document"), where + " document"),
        )
    return tabs


def _load_dialogs(raw: object) -> dict[str, Dialog]:
    dialogs: dict[str, Dialog] = {}
    for key, entry in _mapping(raw, "dialogs.yaml dialogs").items():
        item = _mapping(entry, f"dialogs.yaml {key}")
        where = f"dialogs.yaml {key}"
        if ("tabs" in item) == ("controls" in item):
            raise CatalogError(f"{where}: give either tabs or controls")
        if "tabs" in item:
            pages = []
            for j, p in enumerate(_list(item["tabs"], where + " tabs")):
                page = _mapping(p, f"{where} tabs[{j}]")
                name = _req(page.get("name"), f"{where} tabs[{j}] name")
                pages.append(DialogPage(name, _items(page.get("controls"), f"{where} {name}")))
        else:
            pages = [DialogPage(None, _items(item["controls"], where))]
        dialog = Dialog(
            key=key,
            title=_str(item.get("title"), where + " title", optional=True) or key,
            pages=tuple(pages),
            footer=_items(item.get("footer"), where + " footer"),
            default_tab=_str(item.get("default_tab"), where + " default_tab", optional=True),
            title_bar=_bool(item.get("title_bar"), where + " title_bar") is not False,
        )
        dialog.page(None)  # the default tab exists
        dialogs[key] = dialog
    return dialogs


def _check_references(catalog: Catalog) -> None:
    """Every menu, dialog and backstage page a control opens is in the catalog."""
    specs: list[tuple[str, ControlSpec]] = []
    specs += [(f"chrome {s.name}", c) for s in catalog.sections for c in s.controls]
    for tab in catalog.tabs.values():
        specs += [(f"tab {tab.key}", c) for g in tab.groups for c in g.controls]
        specs += [(f"tab {tab.key} document", c) for c in tab.document]
    specs += [(f"menu {m.key}", c) for m in catalog.menus.values() for c in m.items]
    for d in catalog.dialogs.values():
        specs += [(f"dialog {d.key}", c) for p in d.pages for c in p.controls + d.footer]
    specs += [("backstage navigation", c) for c in catalog.backstage.navigation]
    specs += [(f"backstage {p}", c) for p, cs in catalog.backstage.pages.items() for c in cs]
    for where, c in specs:
        if c.menu is not None and c.menu not in catalog.menus:
            raise CatalogError(f"{where}: {c.name!r} opens unknown menu {c.menu!r}")
        if c.dialog is not None and c.dialog not in catalog.dialogs:
            raise CatalogError(f"{where}: {c.name!r} opens unknown dialog {c.dialog!r}")
        if c.page is not None and c.page not in catalog.backstage.pages:
            raise CatalogError(f"{where}: {c.name!r} shows unknown backstage page {c.page!r}")


@cache
def load_catalog(directory: Path = DATA_DIR) -> Catalog:
    """The catalog in ``directory`` (default: the YAML files shipped with this package), loaded once."""
    chrome = _read(directory, "chrome.yaml")
    defaults = {
        k: _req(v, f"chrome.yaml defaults {k}") for k, v in _mapping(chrome.get("defaults"), "defaults").items()
    }
    sections: list[ChromeSection] = []
    for i, entry in enumerate(_list(chrome.get("sections"), "chrome.yaml sections")):
        item = _mapping(entry, f"chrome.yaml sections[{i}]")
        name = _req(item.get("name"), f"chrome.yaml sections[{i}] name")
        place = _req(item.get("place"), f"chrome.yaml {name} place")
        if place not in CHROME_PLACES:
            raise CatalogError(f"chrome.yaml {name}: place {place!r} is not one of {list(CHROME_PLACES)}")
        container = _str(item.get("container"), f"chrome.yaml {name} container", optional=True)
        if container is not None and container not in CONTROL_TYPES:
            raise CatalogError(f"chrome.yaml {name}: container {container!r} is not a UIA control type")
        keep = bool(_bool(item.get("backstage"), f"chrome.yaml {name} backstage"))
        sections.append(
            ChromeSection(name, place, container, keep, _items(item.get("controls"), f"chrome.yaml {name}"))
        )
    if sum(s.place == "document" for s in sections) != 1:
        raise CatalogError("chrome.yaml: exactly one section has place 'document'")

    menus_file = _read(directory, "menus.yaml")
    palettes = {
        k: tuple(_req(c, f"menus.yaml palette {k}") for c in _list(v, f"menus.yaml palette {k}"))
        for k, v in _mapping(menus_file.get("palettes"), "menus.yaml palettes").items()
    }
    menus: dict[str, Menu] = {}
    for key, entry in _mapping(menus_file.get("menus"), "menus.yaml menus").items():
        if key.startswith(COLLAPSED_GROUP_MENU):
            raise CatalogError(f"menus.yaml: menu key {key!r} uses the reserved prefix {COLLAPSED_GROUP_MENU!r}")
        item = _mapping(entry, f"menus.yaml {key}")
        title = _str(item.get("title"), f"menus.yaml {key} title", optional=True) or key
        menus[key] = Menu(key, title, _items(item.get("items"), f"menus.yaml {key}", palettes))

    back = _read(directory, "backstage.yaml")
    pages = {
        k: _items(v, f"backstage.yaml {k}") for k, v in _mapping(back.get("pages"), "backstage.yaml pages").items()
    }
    backstage = Backstage(
        default_page=_req(back.get("default_page"), "backstage.yaml default_page"),
        navigation=_items(back.get("navigation"), "backstage.yaml navigation"),
        pages=pages,
    )
    if backstage.default_page not in pages:
        raise CatalogError(f"backstage.yaml: default_page {backstage.default_page!r} is not a page")

    tabs = _load_tabs(_read(directory, "tabs.yaml").get("tabs"))
    if sum(t.backstage for t in tabs.values()) != 1:
        raise CatalogError("tabs.yaml: exactly one tab (File) opens the backstage")
    catalog = Catalog(
        defaults=defaults,
        sections=tuple(sections),
        tabs=tabs,
        menus=menus,
        dialogs=_load_dialogs(_read(directory, "dialogs.yaml").get("dialogs")),
        backstage=backstage,
        palettes=palettes,
    )
    _check_references(catalog)
    return catalog


class ScreenOptions(TypedDict, total=False):
    """The keyword options of :meth:`Catalog.screen`, for the module-level shortcut."""

    width: Width
    open_menu: str | None
    dialog: str | None
    contextual: Sequence[str]
    backstage_page: str | None
    dialog_tab: str | None
    dialog_expanded: bool
    maximized: bool
    values: Mapping[str, str] | None


def screen(tab: str, **options: Unpack[ScreenOptions]) -> list[UiControl]:
    """The controls Word shows in one screen state, in the order UIA enumerates them.

    ``tab`` is the selected ribbon tab's key (``"Home"``...; ``"Table Layout"`` for the table's
    contextual Layout tab, which must also be in ``contextual``); ``"File"`` shows the backstage
    at ``backstage_page`` (default Info) instead of the ribbon, document and status bar.
    ``width`` collapses ribbon groups (see ``COLLAPSE_THRESHOLD``). ``contextual`` lists the
    contextual tabs on show (``"Table Design"``, ``"Table Layout"``, ``"Header & Footer"``).
    ``dialog`` opens a dialog (at ``dialog_tab``, or its default tab; ``dialog_expanded`` for Find
    and Replace's More >>), whose controls follow the main window's. ``open_menu`` opens a
    drop-down (a menus.yaml key, or ``"group:<name>"`` for a collapsed group), listed last.
    ``values`` fills ``{placeholders}`` (document name, page count...) over the catalog defaults.
    Unknown tabs, menus, dialogs or pages raise :class:`CatalogError` (a ValueError).
    """
    return load_catalog().screen(tab, **options)

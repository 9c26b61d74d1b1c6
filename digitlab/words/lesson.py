"""The lesson link and the session file: the page's row under the tabs.

Each key maps a language code to its text (see digitlab/words/__init__.py)."""

STRINGS: dict[str, dict[str, str]] = {
    # The lesson link (digitlab/ui/lesson_link.py).
    "link.copy": {
        "en": "Copy link to this lesson",
        "zh": "复制本课链接",
    },
    "link.label": {
        "en": "Link to this lesson",
        "zh": "本课链接",
    },
    "link.info": {
        "en": "Opens DigitLab with these Train settings, on this tab, in this language. "
        "Copied where the browser allows it; else select it and copy.",
        "zh": "打开后即是这些训练设置、这个标签页和这种语言。浏览器允许时已自动复制；"
        "否则请选中后复制。",
    },
    "link.ignored": {
        "en": "⚠️ Ignored from this link: {items}",
        "zh": "⚠️ 链接中以下内容已忽略：{items}",
    },
    "link.unknown": {
        "en": "{name} (no such setting)",
        "zh": "{name}（没有这项设置）",
    },
    "link.bad": {
        "en": "{name}={value} ({why})",
        "zh": "{name}={value}（原因：{why}）",
    },
    "link.why_choice": {
        "en": "use one of {allowed}",
        "zh": "请用 {allowed} 之一",
    },
    "link.why_flag": {
        "en": "use true or false",
        "zh": "请用 true 或 false",
    },
    "link.why_number": {
        "en": "not a number",
        "zh": "不是数字",
    },
    "link.why_range": {
        "en": "use {lo} to {hi}",
        "zh": "请用 {lo} 到 {hi} 之间的值",
    },
    "link.why_step": {
        "en": "use steps of {step}",
        "zh": "步长应为 {step}",
    },
    "link.why_long": {
        "en": "longer than {limit} characters",
        "zh": "超过 {limit} 个字符",
    },
    # Save and open a session (digitlab/ui/session_file.py).
    "session.save": {
        "en": "Save session",
        "zh": "保存本次课",
    },
    "session.open": {
        "en": "Open session",
        "zh": "打开保存的课",
    },
    "session.file": {
        "en": "Session file",
        "zh": "课程文件",
    },
    "session.hint": {
        "en": "Save session: one file with your runs (their models, settings and curves) and "
        "your drawings. Open it later, on any computer, to have them back.",
        "zh": "保存本次课：一个文件包含你的训练（模型、设置和曲线）和你写的数字。"
        "以后在任何电脑上打开它，即可全部恢复。",
    },
    "session.saved": {
        "en": "Saved {runs} runs ({models} with their models) and {drawings} drawings: {kb} KB.",
        "zh": "已保存 {runs} 次训练（其中 {models} 个带模型）和 {drawings} 个手写数字：{kb} KB。",
    },
    "session.saved_without": {
        "en": "{saved} The {n} oldest models did not fit in the file: their rows and curves "
        "are in it.",
        "zh": "{saved}最早的 {n} 个模型放不进文件：文件里只有它们的记录和曲线。",
    },
    "session.opened": {
        "en": "Opened: {runs} runs ({models} with their models) and {drawings} drawings.",
        "zh": "已打开：{runs} 次训练（其中 {models} 个带模型）和 {drawings} 个手写数字。",
    },
    "session.opened_full": {
        "en": "{opened} {n} drawings did not fit in your set.",
        "zh": "{opened}{n} 个手写数字放不进你的数据集。",
    },
    "session.busy": {
        "en": "A run is training: open the session once it has ended.",
        "zh": "正在训练：请等训练结束后再打开。",
    },
    "session.failed": {
        "en": "⚠️ Could not open this file: {error}",
        "zh": "⚠️ 无法打开这个文件：{error}",
    },
    "session.not_a_file": {
        "en": "it is not a DigitLab session file (a .zip from Save session).",
        "zh": "这不是 DigitLab 的课程文件（“保存本次课”得到的 .zip）。",
    },
    "session.too_big": {
        "en": "it is larger than {mb:.0f} MB.",
        "zh": "文件超过 {mb:.0f} MB。",
    },
    "session.too_many": {
        "en": "it holds more than {limit} files.",
        "zh": "文件里的条目超过 {limit} 个。",
    },
    "session.unpacks_too_big": {
        "en": "it unpacks to more than {mb:.0f} MB.",
        "zh": "解压后超过 {mb:.0f} MB。",
    },
    "session.entry_too_big": {
        "en": "{name} in it is larger than a session file's can be.",
        "zh": "其中的 {name} 超出了课程文件允许的大小。",
    },
    "session.damaged": {
        "en": "{what} in it is damaged.",
        "zh": "其中的 {what} 已损坏。",
    },
    "session.version": {
        "en": "it was saved by another version of DigitLab (file version {version}).",
        "zh": "它由另一个版本的 DigitLab 保存（文件版本 {version}）。",
    },
    "session.bad_run": {
        "en": "its run {n} is not one DigitLab saves ({error}).",
        "zh": "其中第 {n} 次训练不是 DigitLab 保存的格式（{error}）。",
    },
    "session.bad_weights": {
        "en": "the model of run {n}: {error}",
        "zh": "第 {n} 次训练的模型：{error}",
    },
    "session.bad_drawings": {
        "en": "its drawings: {error}",
        "zh": "其中的手写数字：{error}",
    },
}

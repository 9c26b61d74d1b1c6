"""The texts of the pen digits (data from more people: the Train tab's training data), in
English and Simplified Chinese, in the format of digitlab/strings.py (which merges them into
STRINGS)."""

STRINGS: dict[str, dict[str, str]] = {
    # Train tab: the training-data setting (settings.py's "train_data" radio).
    "train.train_data": {
        "en": "Training data",
        "zh": "训练数据",
    },
    "train.train_data_info": {
        "en": (
            "Pen digits: ~10,000 digits that 20 people wrote on a tablet, drawn with the app's "
            "brush. The Evaluate tab judges on 10 other people."
        ),
        "zh": "笔写数字：20 个人在手写板上写的约 10,000 个数字，用本应用的画笔画出。"
        "“评估”页用另外 10 个人的数字来检验。",
    },
    "train.train_data.mnist": {
        "en": "MNIST only",
        "zh": "仅 MNIST",
    },
    "train.train_data.mnist+pen": {
        "en": "MNIST + pen digits (20 more writers)",
        "zh": "MNIST + 笔写数字（另外 20 位书写者）",
    },
    "field.train_data": {
        "en": "training data",
        "zh": "训练数据",
    },
    "status.drawing_pen": {
        "en": "Drawing the pen digits of writers 1-20 (the first time only: about 10 s)…",
        "zh": "正在画出第 1-20 位书写者的笔写数字（仅第一次需要，约 10 秒）…",
    },
    "msg.export_pen": {
        "en": (
            "This run trained on the pen digits too, which a standalone script cannot carry: "
            "export a run trained on MNIST only."
        ),
        "zh": "这次训练还用了笔写数字，独立脚本无法包含它们：请导出一次仅用 MNIST 训练的结果。",
    },
}

from __future__ import annotations

from desk_app.client.sse import SseMessage, parse


def test_messages_comments_and_multiline_data() -> None:
    lines = [
        ": ping\n",
        "event: event\n",
        "id: 12\n",
        'data: {"a":\n',
        "data: 1}\n",
        "\n",
        ": keep-alive\n",
        "\n",
        "data:no-space\n",
        "\n",
    ]
    assert list(parse(lines)) == [
        SseMessage("event", '{"a":\n1}', "12"),
        SseMessage("message", "no-space", None),
    ]


def test_an_unfinished_block_is_not_delivered() -> None:
    assert list(parse(["data: half\n"])) == []

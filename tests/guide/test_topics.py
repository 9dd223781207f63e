"""The topic-page contract and the generated topic index."""

from pathlib import Path

import pytest

from guide.errors import GuideError
from guide.topics import (
    check_topics,
    collect_topics,
    problems,
    render_index,
    render_topic_blocks,
)

PAGE = """\
---
description: A Markov decision process is a tuple of states, actions, transitions and rewards.
tags:
  - reinforcement-learning
  - foundations
---

# Markov decision processes

!!! abstract "In one line"
    The world as states, actions, transition probabilities and rewards.

## The idea

$$
V^\\pi(s) = \\sum_a \\pi(a \\mid s) \\sum_{s'} P(s' \\mid s, a)\\,[r + \\gamma V^\\pi(s')]
$$

!!! tip "Intuition"
    The future is summarised by the present state.

## Implementation

```python title="snippets/topics/rl/mdp.py"
--8<-- "snippets/topics/rl/mdp.py:evaluate"
```

## Pitfalls

!!! warning "Discounting is part of the problem"
    Changing gamma changes the optimal policy.

## Follow-ups interviewers ask

- *Why discount?* Bounded returns.

## Questions that test it

/// questions | mdp
///

## Cards

/// card | What is an MDP?
    id: mdp-definition

A tuple.
///

/// card | Why discount?
    id: mdp-discount

Bounded returns.
///
"""


def test_a_complete_page_has_no_problem():
    assert problems(PAGE, "topics/rl/mdp.md") == []


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("description: A Markov", "summary: A Markov", "front matter has no description"),
        ("  - reinforcement-learning\n", "", "tags must start with 'reinforcement-learning'"),
        ('!!! abstract "In one line"', "!!! note", "no '!!! abstract \"In one line\"'"),
        ('!!! tip "Intuition"', "!!! note", "has no '!!! tip \"Intuition\"'"),
        ("--8<--", "see", "includes no snippet"),
        ("!!! warning", "!!! note", "'## Pitfalls' has no '!!! warning'"),
        ("- *Why", "*Why", "has no bullet"),
        ("/// questions | mdp", "/// questions | rl", "no '/// questions | mdp' list"),
        ("## Questions that test it", "## Questions", "no '## Questions that test it' section"),
        ("/// card | Why discount?", "/// note | Why", "'## Cards' has 1 cards"),
    ],
)
def test_each_missing_part_is_named(old, new, message):
    text = PAGE.replace(old, new, 1)
    assert text != PAGE
    found = problems(text, "topics/rl/mdp.md")
    assert any(message in line for line in found), found
    assert all(line.startswith("topics/rl/mdp.md: ") for line in found)


def test_inline_maths_alone_is_not_enough():
    found = problems(PAGE.replace("$$", ""), "topics/rl/mdp.md")
    assert any("'## The idea' has no display equation ($$)" in line for line in found)


def test_a_heading_inside_a_code_fence_is_not_a_section():
    text = PAGE.replace("## Pitfalls\n", "```text\n## Pitfalls\n```\n", 1)
    assert any("no '## Pitfalls' section" in line for line in problems(text, "topics/rl/mdp.md"))


def test_unquoted_colon_in_front_matter_is_reported_not_dropped(tmp_path: Path):
    folder = tmp_path / "topics" / "rl"
    folder.mkdir(parents=True)
    (folder / "mdp.md").write_text(PAGE.replace("A Markov decision", "MDP: a"))
    (folder / "index.md").write_text("# RL\n")  # not a topic page
    found = check_topics(tmp_path)
    assert found == [
        "topics/rl/mdp.md: front matter is not valid YAML "
        "(mapping values are not allowed here at line 2): quote the value"
    ]


def _docs(tmp_path: Path) -> Path:
    for page, title in [
        ("topics/rl/mdp.md", "Markov decision processes"),
        ("topics/rl/ppo.md", "PPO | clipped"),
        ("topics/llm/lora.md", "LoRA"),
    ]:
        path = tmp_path / page
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PAGE.replace("# Markov decision processes", f"# {title}"))
    (tmp_path / "topics" / "index.md").write_text("/// topics | by category\n///\n")
    (tmp_path / "topics" / "tags.md").write_text("# Tags\n")
    return tmp_path


def test_the_index_counts_and_groups_by_category(tmp_path: Path):
    topics = collect_topics(_docs(tmp_path))
    assert [t.page for t in topics] == [
        "topics/llm/lora.md",
        "topics/rl/mdp.md",
        "topics/rl/ppo.md",
    ]
    lines = render_index(topics, "topics/index.md")
    assert lines[0].startswith('<p class="guide-topic-count"><strong>3 topics</strong> in 2')
    assert lines.index("## Transformers & LLMs") < lines.index("## Reinforcement learning")
    assert "1 topics." in lines and "2 topics." in lines
    assert "| [LoRA](llm/lora.md) | A Markov decision process is a tuple" in "\n".join(lines)
    assert any(line.startswith("| [PPO \\| clipped](rl/ppo.md) |") for line in lines)
    assert any(line.startswith("| [Markov decision processes](rl/mdp.md)") for line in lines)


def test_the_index_block_is_replaced_in_place(tmp_path: Path):
    docs = _docs(tmp_path)
    text = "# Topics\n\n/// topics | by category\n///\n\nAfter.\n"
    out = render_topic_blocks(text, "topics/index.md", collect_topics(docs))
    assert out.startswith("# Topics\n\n<p class=")
    assert out.endswith("\nAfter.\n") and "///" not in out


def test_a_malformed_index_block_fails_at_its_line(tmp_path: Path):
    text = "# Topics\n\n/// topics | everything\n///\n"
    with pytest.raises(GuideError, match=r"^topics/index.md:3: a topics index is"):
        render_topic_blocks(text, "topics/index.md", [])

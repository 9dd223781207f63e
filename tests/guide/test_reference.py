"""The topic reference and the question banks, as shipped in `docs/`.

These tests read the real pages: every topic of the source's reference table
has its own complete page, the counts the project promises hold, and every
page is in the navigation.
"""

from collections import Counter
from pathlib import Path
from statistics import median

import pytest
import yaml

from guide.cards import collect
from guide.topics import check_topics, collect_topics, is_topic_page

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

# Each topic of the source guide's reference table -> the page that is its home.
SOURCE_TOPICS = {
    # Reinforcement learning
    "Q-learning and TD learning": "rl/td-learning",
    "Bellman equations": "rl/dynamic-programming",
    "PPO": "rl/ppo",
    "GRPO": "rl/grpo",
    "GAE": "rl/gae",
    "Variance reduction": "rl/variance-reduction",
    "DPO": "rl/preference-optimization",
    "Policy gradient theorem": "rl/policy-gradient",
    "On-policy vs off-policy": "rl/on-off-policy",
    "Exploration vs exploitation": "rl/exploration",
    "Credit assignment": "rl/credit-assignment",
    "MuZero and world models": "rl/world-models",
    "AlphaGo and AlphaZero": "rl/alphazero",
    "SAC": "rl/sac",
    "Model-based vs model-free": "rl/model-based-rl",
    "MDP": "rl/mdp",
    "Monte Carlo vs TD": "rl/monte-carlo-vs-td",
    "Actor-critic": "rl/actor-critic",
    "SARSA": "rl/sarsa",
    "Importance sampling": "rl/importance-sampling",
    "Curriculum learning": "rl/curriculum-learning",
    # Large language models
    "Flash attention": "llm/flash-attention",
    "LoRA": "llm/lora",
    "Transformer-XL": "llm/transformer-xl",
    "Griffin": "llm/griffin",
    "Perceiver": "llm/perceiver",
    "Scaling laws and Chinchilla": "llm/scaling-laws",
    "Mixture of experts": "llm/mixture-of-experts",
    "RoPE": "llm/rope",
    "Sinusoidal embeddings": "llm/positional-encoding",
    "Relative positional embeddings": "llm/relative-position",
    "Transformers vs RNNs vs S4 vs Mamba": "llm/state-space-models",
    "Tokenisation (BPE)": "llm/tokenization",
    "Pre-training and SFT": "llm/pretraining-and-sft",
    "RLHF": "llm/rlhf",
    "Decoding techniques": "llm/decoding",
    "Causal attention": "llm/causal-attention",
    "Cross-attention": "llm/cross-attention",
    "KV cache": "llm/kv-cache",
    "Speculative decoding": "llm/speculative-decoding",
    "Quantisation": "llm/quantization",
    # Generative modelling
    "GANs": "generative/gan",
    "VAEs and the ELBO": "generative/vae",
    "Score functions and score matching": "generative/score-matching",
    "Diffusion: the forward process": "generative/diffusion",
    "Diffusion: the reverse process (DDPM, DDIM)": "generative/ddpm-ddim",
    "Diffusion as an SDE": "generative/diffusion-sde",
    "Flow matching": "generative/flow-matching",
    "Classifier-free guidance": "generative/classifier-free-guidance",
    # Distributed systems
    "Tensor parallelism": "distributed/tensor-parallelism",
    "FSDP": "distributed/fsdp",
    "DDP": "distributed/data-parallelism",
    "Pipeline parallelism": "distributed/pipeline-parallelism",
    "All-reduce and all-gather": "distributed/collectives",
    "Mixed precision (bf16)": "distributed/mixed-precision",
    "Gradient checkpointing": "distributed/gradient-checkpointing",
    "Gradient accumulation and clipping": "distributed/gradient-accumulation-and-clipping",
    "Numerical precision": "distributed/numerical-precision",
    "JIT compilation": "distributed/jit-compilation",
    "JAX, PyTorch and TensorFlow": "distributed/frameworks",
    # General ML
    "Curse of dimensionality": "ml/curse-of-dimensionality",
    "CNNs, RNNs, LSTMs and S4": "ml/sequence-models",
    "Autoencoders": "ml/autoencoders",
    "Gumbel-softmax": "ml/gumbel-softmax",
    "MLE vs MAP": "ml/mle-vs-map",
    "Newton's method": "ml/newtons-method",
    "Linear regression": "ml/linear-models",
    "Activation and loss functions": "ml/activations-and-losses",
    "No free lunch theorem": "ml/no-free-lunch",
    "BatchNorm, LayerNorm, RMSNorm": "ml/normalization",
    "Adam, AdamW, Adagrad": "ml/optimizers",
    "Bias-variance trade-off": "ml/bias-variance",
    "Backpropagation": "ml/backpropagation",
    "Regularisation (L1, L2, dropout)": "ml/regularization",
    "Clustering": "ml/k-means",
    "k-nearest neighbours": "ml/knn",
    "SVMs": "ml/svm",
    "Boosting": "ml/boosting",
    "Decision trees": "ml/decision-trees",
    "Bayes' theorem": "ml/bayes-theorem",
    "Precision, recall, F1, ROC-AUC": "ml/classification-metrics",
    "KL and JS divergence": "ml/kl-divergence",
    "Xavier and He initialisation": "ml/initialization",
    "Overfitting and underfitting": "ml/overfitting",
    "Transfer learning": "ml/transfer-learning",
    "Few-shot and zero-shot learning": "ml/few-shot-learning",
    # Linear algebra
    "PSD matrices": "linalg/psd-matrices",
    "Jacobian and Hessian": "linalg/jacobian-and-hessian",
    "Eigenvectors and eigenvalues": "linalg/eigendecomposition",
    "Matrix inverse": "linalg/matrix-inverse",
    "Dot product": "linalg/dot-product",
    "Null space and image": "linalg/null-space-and-image",
    "Orthogonality": "linalg/orthogonality",
    "Linear independence": "linalg/linear-independence",
    "Singular matrices": "linalg/singular-matrices",
    "Rank and span": "linalg/rank-and-span",
    "Determinant": "linalg/determinant",
    "SVD": "linalg/pca-and-svd",
}


@pytest.fixture(scope="module")
def content():
    return collect(DOCS)


@pytest.mark.parametrize("name, page", SOURCE_TOPICS.items())
def test_every_source_topic_has_a_page(name, page):
    assert (DOCS / "topics" / f"{page}.md").is_file(), f"{name}: no page topics/{page}.md"


def test_every_topic_page_is_complete():
    assert check_topics(DOCS) == []


def test_the_reference_has_90_topics_and_two_cards_each(content):
    topics = collect_topics(DOCS)
    assert len(topics) >= 90
    per_page = Counter(c.page for c in content.cards if is_topic_page(c.page))
    assert {t.page for t in topics} == set(per_page)
    assert min(per_page.values()) >= 2
    assert sum(per_page.values()) >= 180


def test_the_banks_hold_200_questions_with_substantial_answers(content):
    questions = content.questions
    assert len(questions) >= 200
    assert {q.round for q in questions} == {
        "recruiter-screen",
        "algorithms",
        "ml-coding",
        "ml-theory",
        "behavioural",
        "research",
        "system-design",
    }
    assert median(len(q.card.back.split()) for q in questions) >= 100


def _nav_pages(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [page for item in node for page in _nav_pages(item)]
    if isinstance(node, dict):
        return [page for value in node.values() for page in _nav_pages(value)]
    return []


class _Loader(yaml.SafeLoader):
    """mkdocs.yml without its `!!python/name` tags."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)


def test_every_page_is_in_the_navigation():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    in_nav = _nav_pages(config["nav"])
    assert len(in_nav) == len(set(in_nav)), "a page appears twice in the navigation"
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    pages |= {p.relative_to(DOCS).as_posix() for p in (DOCS / "notebooks").glob("*.py")}
    assert sorted(pages - set(in_nav)) == []
    assert sorted(set(in_nav) - pages) == []

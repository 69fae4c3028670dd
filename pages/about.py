"""About page: the math behind every other page, in plain words and formulas."""

import streamlit as st

from logreg import LogisticRegression, figures
from ui import glossary, presentation, why

st.title("How logistic regression works")
_asked = glossary.requested_term()  # a tooltip's glossary link opened this page
if _asked:
    st.info(f"**{_asked}**: {glossary.definition(_asked)}  \nEvery term is in the glossary at the "
            "end of this page.", icon=":material/menu_book:")
st.write("Everything the other pages show comes from a handful of formulas. Here they are, each "
         "with a sentence saying what it means.")

st.header("1. A score, then a probability")
st.write("Each point has features $x_1, \\dots, x_d$. The model adds them up with one weight "
         "each, plus an intercept, to get a **score** (the log-odds):")
st.latex(r"z = w_1 x_1 + \dots + w_d x_d + b = x \cdot w + b")
st.write("The **sigmoid** squeezes any score into a probability between 0 and 1:")
st.latex(r"p = \sigma(z) = \frac{1}{1 + e^{-z}}")
presentation.chart(figures.sigmoid_figure(), key="sigmoid_chart")
st.write("A weight $w_j$ says how much one more unit of $x_j$ changes the log-odds; $e^{w_j}$ is "
         "the factor by which it multiplies the odds. The app standardizes your columns first "
         "(unless you turn that off on the Data page), so a model's weight is per **+1 standard "
         "deviation** of your column; per **+1 unit** it is $w_j / s_j$, with $s_j$ the column's "
         "standard deviation. The weights chart on the Train page (hover) and the Why page show "
         "both, in the units of your columns.")
why.units_example_section()

st.header("2. The threshold T")
st.write("A probability becomes a yes/no with a threshold: predict the positive class when "
         "$p \\ge T$. The default $T = 0.5$ is not sacred: lowering it catches more positives "
         "and raises more false alarms (the **Threshold** page shows the trade-off as the ROC "
         "curve: true positive rate against false positive rate).")

st.header("3. How wrong is the model? The log-loss")
st.write("Training looks for the weights that make the observed labels most likely. Equivalently "
         "it minimizes the mean **log-loss** over the $n$ training points:")
st.latex(r"J(w, b) = \frac{1}{n} \sum_{i=1}^{n} -\big[y_i \log p_i + (1 - y_i) \log(1 - p_i)\big]")
st.write("A confident right answer costs almost 0; a confident wrong answer costs a lot; a "
         "coin flip ($p = 0.5$) costs $\\log 2 \\approx 0.693$. (The app computes it from the "
         "score $z$ as $\\log(1 + e^{z}) - y z$, which never takes the log of 0.)")

st.header("4. Gradient descent: walking downhill")
st.write("The slope of the loss with respect to the weights is remarkably simple: the features "
         "times the errors $p - y$, averaged:")
st.latex(r"\nabla_w J = \frac{1}{n} X^\top (p - y), \qquad \frac{\partial J}{\partial b} = "
         r"\frac{1}{n} \sum_i (p_i - y_i)")
st.write("Each **epoch** takes one step against the slope, of size $\\alpha$ (the **learning "
         "rate**):")
st.latex(r"w \leftarrow w - \alpha \, \nabla_w J")
st.write("Too small an $\\alpha$ and the loss creeps down; too large and each step overshoots, "
         "so the loss jumps around (the Train page says so, and looks for a smaller rate that "
         "does not: it names one only after trying it) or explodes (training stops there and "
         "the page says so). "
         f"Training has **converged** when the largest slope of the loss (penalty included) is "
         f"below {LogisticRegression().gtol:g}; the Train page says whether it has, how far the "
         "loss still is from its lowest value if not, and can stop as soon as it has. "
         "A **mini-batch** "
         "uses a random handful of points per step: many cheap, noisy steps per epoch. "
         "**Newton's method** also uses the curvature of the loss and usually needs under ten "
         "steps.")

st.header("5. Regularization: keeping weights small")
st.write("A penalty of strength $\\lambda$ is added to the loss (the intercept is never "
         "penalized):")
st.latex(r"J_{\text{total}} = J + \lambda R(w), \quad R_{L2} = \tfrac{1}{2}\|w\|_2^2, \quad "
         r"R_{L1} = \|w\|_1, \quad R_{\text{elastic}} = r\|w\|_1 + \tfrac{1 - r}{2}\|w\|_2^2")
st.write("L2 shrinks every weight a little; L1 pushes weak weights to exactly zero, keeping "
         "only the useful features. Larger $\\lambda$ means a simpler, less confident model. "
         "In scikit-learn the same penalty is written with $C = 1 / (\\lambda n)$.")

st.header("6. More than two classes: one-vs-rest")
st.write("With $M$ classes, one-vs-rest trains $M$ separate yes/no models, class $m$ against all "
         "the others, and predicts the class whose model gives the highest probability:")
st.latex(r"\hat{y} = \arg\max_m \; \sigma(x \cdot w_m + b_m)")
st.write("Softmax (multinomial) regression instead trains one model whose $M$ probabilities "
         "always sum to 1: $p_m = e^{z_m} / \\sum_k e^{z_k}$. The **Multiclass** page shows both.")

st.header("7. Glossary: the words on screen")
st.write("Every technical word the app uses, in plain words. The sidebar link "
         "\"The math and a glossary\" leads here from every page.")
left, right = st.columns(2)
_entries = sorted(glossary.TERMS, key=str.lower)
_half = (len(_entries) + 1) // 2
for column, part in ((left, _entries[:_half]), (right, _entries[_half:])):
    for term in part:  # one heading per entry: tooltips link to its anchor (about#g-...)
        column.markdown(glossary.entry_markdown(term), unsafe_allow_html=True)

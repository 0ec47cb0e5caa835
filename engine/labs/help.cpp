// help.cpp: see help.h. One function per lab adds its controls, in the order they appear.
// In the text, {range} is replaced by the range ("from 1 to 4"), taken from the Limits.
#include "labs/help.h"

#include <cmath>
#include <cstdio>
#include <utility>

#include "labs/batchnorm_lab.h"
#include "labs/cnn_lab.h"
#include "labs/conv_lab.h"
#include "labs/cost_lab.h"
#include "labs/dropout_lab.h"
#include "labs/flow_lab.h"
#include "labs/mlp_lab.h"
#include "labs/notation.h"
#include "labs/softmax_lab.h"
#include "labs/train_lab.h"

namespace nnplay {
namespace {

class Table {
 public:
  explicit Table(std::vector<ControlHelpEntry>* entries) : entries_(entries) {}
  void Lab(const char* lab) { lab_ = lab; }
  void Add(const char* control, std::string text) {
    entries_->push_back({lab_, control, std::move(text), false, 0, 0});
  }
  void Range(const char* control, double lo, double hi, const std::string& text) {
    std::string t = text;
    const size_t at = t.find("{range}");
    if (at != std::string::npos) t.replace(at, 7, HelpRangeText(lo, hi));
    entries_->push_back({lab_, control, std::move(t), true, lo, hi});
  }

 private:
  std::vector<ControlHelpEntry>* entries_;
  std::string lab_;
};

void AddApp(Table* t) {
  t->Lab("app");
  t->Add("gallery", "Every lab and every preset of the course, in one list. Pick one to open it.");
  t->Add("undo", "Go back one change (Ctrl+Z). Presets and single edits can both be undone.");
  t->Add("redo", "Do again what Undo took back (Ctrl+Shift+Z or Ctrl+Y).");
  t->Add("copy",
         "Copy a link to exactly what you see. Whoever opens it gets the same numbers and "
         "settings.");
  t->Add("copy-code",
         "Copy this lab as a Python script (PyTorch or NumPy) that rebuilds exactly this state "
         "and prints the same numbers.");
  t->Add("copy-torch",
         "Copy a short PyTorch script that rebuilds exactly this state and prints the same "
         "numbers: paste it into a notebook.");
  t->Add("copy-numpy",
         "Copy the same script in plain NumPy (no PyTorch needed): every step written out.");
  t->Add("export",
         "Save the whole state and every result as a JSON file (for states too large for a "
         "link, such as a loaded photo).");
  t->Add("import", "Open a JSON file saved with Export JSON, or a file holding a link.");
  t->Add("reset", "Put this lab back to how it first opens. Undo brings your work back.");
  t->Add("theme",
         "Switch between a light and a dark page. This browser remembers your choice; links do "
         "not carry it. Until you choose, the page follows your system's setting.");
  t->Add("dismiss", "Hide this message. The lab keeps showing what it showed before.");
  t->Add("copy-broken", "Copy the link that could not be opened, to fix it or report it.");
}

void AddCheck(Table* t) {
  t->Lab("check");
  t->Add("value",
         "Type the value you worked out for this step (or a fraction: 1/3). It is right when "
         "it is the exact value rounded or cut off to the digits you typed: for 2/3, 0.667 and "
         "0.666 are right, 0.665 is not. Green: right; amber: right for your earlier value (it "
         "follows from a slip in a step before); red: wrong. Your entries are part of the "
         "link.");
}

void AddConv(Table* t) {
  using L = ConvLabLimits;
  t->Lab("conv");
  t->Add("input-preset",
         "Fill every input channel with this pattern. The input keeps its size; the output "
         "updates at once.");
  t->Add("load-image",
         "Use a picture from your computer as the input. It is decoded in your "
         "browser and scaled to fit " +
             std::to_string(L::kMaxInput) + "×" + std::to_string(L::kMaxInput) +
             "; nothing is uploaded.");
  t->Add("camera",
         "Use your camera as the input: every frame is filtered as it arrives, so you see "
         "the maps change while you edit the filters. Frames stay in this page; nothing is "
         "sent or kept until you freeze one.");
  t->Add("freeze",
         "Stop at this frame (or press Space): it becomes the input image, which you can "
         "edit, undo and share as a link.");
  t->Add("resume", "Go live again: the camera feeds the input, starting from the next frame.");
  t->Add("camera-stop",
         "Turn the camera off without keeping a frame: the input goes back to the image it "
         "had before.");
  t->Range("input-rows", L::kMinInput, L::kMaxInput,
           "Height of the input image in cells, {range}. A taller input gives a taller output.");
  t->Range("input-cols", L::kMinInput, L::kMaxInput,
           "Width of the input image in cells, {range}. A wider input gives a wider output.");
  t->Range("channels", 1, L::kMaxChannels,
           "Input channels, {range} (a colour photo has 3: red, green, blue). Each filter gets "
           "one slice per channel, and an output cell adds up the sums of all channels.");
  t->Add("filter-preset",
         "Put this well-known filter into every filter (e.g. an edge detector or a blur). "
         "Watch which parts of the input light up in the output.");
  t->Range("filter-rows", L::kMinFilter, L::kMaxFilter,
           "Height of each filter in cells, {range}. A taller filter sees more rows at once and "
           "gives a shorter output.");
  t->Range("filter-cols", L::kMinFilter, L::kMaxFilter,
           "Width of each filter in cells, {range}. A wider filter sees more columns at once "
           "and gives a narrower output.");
  t->Range("filters", 1, L::kMaxFilters,
           "How many filters, {range}. Each filter makes its own output map (an output "
           "channel).");
  t->Range("groups", 1, L::kMaxChannels,
           "Split the input channels and the filters into this many groups, {range}: each "
           "filter sees only the channels of its group, so it has fewer weights. Groups must "
           "divide both counts. Groups equal to the input channels is a depthwise "
           "convolution: one channel per filter.");
  t->Add("mode",
         "Convolution slides the filter over the input and sums the products: the output is "
         "smaller. Transposed convolution spreads each input cell over the output, weighted by "
         "the filter: the output is larger (used to upsample).");
  t->Add("padding",
         "Zeros added around the input before the filter slides. Valid: none, the output "
         "shrinks. Same: just enough that, with stride 1, the output is as large as the "
         "input. Explicit: you choose how many rings.");
  t->Range("pad", 0, L::kMaxPad,
           "Zeros added on each side: top, bottom, left, right, {range} each. With stride 1 "
           "each row of zeros adds a row to the output and lets the filter centre on the "
           "border cells. Unequal sides shift the output.");
  t->Range("stride", 1, L::kMaxStride,
           "How many cells the filter moves between outputs, {range}: rows, then columns. "
           "Stride 2 skips every other position and roughly halves the output's size along "
           "that axis.");
  t->Range("dilation", 1, L::kMaxDilation,
           "Spacing between the filter's taps, {range}: rows, then columns. Dilation 2 leaves "
           "a gap between the cells the filter reads: it sees a wider area with the same "
           "weights and the output gets smaller.");
  t->Add("output-padding",
         "Extra rows and columns at the bottom and right of a transposed convolution's output "
         "(PyTorch's output_padding). A strided convolution maps several input sizes to one "
         "output size; this picks which of them the transposed convolution gives back. Each "
         "must be smaller than its axis's stride or dilation.");
  t->Add("zero-stuffed",
         "Show the transposed convolution as an ordinary one: zeros stuffed between the input "
         "values (stride − 1 of them) and around them, then a stride-1 convolution with the "
         "filter turned half a turn. Hover an output cell to see the cells it reads.");
  t->Add("relu",
         "Apply ReLU after the convolution: negative values become 0, positive ones stay. "
         "Shown as an extra map beside each output.");
  t->Add("pooling",
         "Shrink each map by summarising windows of cells: max keeps the largest value of "
         "each window, average keeps their mean. Adaptive: you choose the output size and the "
         "map is cut into that many windows (1×1 is global pooling). None: no pooled map.");
  t->Range("pool-size", 1, L::kMaxPool,
           "The pooling window's rows and columns, {range}. A larger window summarises more "
           "cells into one value.");
  t->Range("pool-stride", 1, L::kMaxPool,
           "How far the pooling window moves each step, {range}: rows, then columns. Equal to "
           "the size, the windows do not overlap (size 2, stride 2 halves each side).");
  t->Range("pool-padding", 0, L::kMaxPool / 2,
           "Cells added on each side of the map before pooling, {range}, at most half the "
           "window. Max pooling ignores them; average pooling counts them as zeros unless you "
           "untick count padded cells.");
  t->Range("pool-dilation", 1, L::kMaxPoolDilation,
           "Spacing between the cells a max-pooling window reads, {range}: rows, then "
           "columns.");
  t->Add("count-include-pad",
         "Average pooling: divide by every cell of the window, padding included (PyTorch's "
         "count_include_pad, on by default), or only by the map's cells in it.");
  t->Add("ceil-mode",
         "Round the pooled size up instead of down: a last, partial window covers the cells "
         "left over at the bottom and right (it must start inside the map or its padding).");
  t->Range("pool-output", 1, L::kMaxAdaptive,
           "Adaptive pooling's output rows and columns, {range}. Window i of n cells spans "
           "cells ⌊i·n/out⌋ to ⌈(i+1)·n/out⌉, so windows may differ in size.");
  t->Add("global-pool",
         "Global pooling: one value per map, its maximum or its mean over every cell.");
  t->Add("brush",
         "The value painted when you drag across input or filter cells. Any number; 0 "
         "erases.");
  t->Add("input-grid",
         "The input: one number per cell (grey cells around it are the zero padding). Click "
         "a cell to type a value; drag to paint the brush value; right-click to save as PNG.");
  t->Add("filter-grid",
         "A filter's weights. Each output cell is the sum of these weights times the input "
         "cells under them. Click to type a weight; drag to paint the brush value.");
  t->Add("output-grid",
         "The output map. Hover or click a cell: its receptive field is outlined on the input "
         "and its sum is written out below.");
  t->Add("relu-grid",
         "The output after ReLU: every negative value became 0. Pooling (if any) reads this "
         "map.");
  t->Add("pool-grid",
         "The pooled map: each cell summarises one window of the map before it. Hover a cell "
         "to see which values it came from.");
}

void AddSoftmax(Table* t) {
  using L = SoftmaxLabLimits;
  t->Lab("softmax");
  t->Range("logits", L::kMinLogits, L::kMaxLogits,
           "How many logits (raw scores, one per class), {range}. Softmax turns them into that "
           "many probabilities that add up to 1.");
  t->Range("temperature", L::kMinTemperature, L::kMaxTemperature,
           "Every logit is divided by T before the exponentials, {range}. T below 1 sharpens "
           "the probabilities (the largest logit takes almost all); T above 1 flattens them "
           "towards equal.");
  t->Add("logits-grid",
         "The logits x, one per class. Click a cell to type a value: every exponential, the "
         "sum and each probability below update at once.");
}

void AddBatchNorm(Table* t) {
  using L = BatchNormLabLimits;
  t->Lab("batchnorm");
  t->Range("features", 1, L::kMaxFeatures,
           "Features (rows of the batch), {range}. Each feature is normalized on its own, with "
           "its own mean, variance, gamma and beta.");
  t->Range("batch", 1, L::kMaxBatch,
           "Examples in the batch (columns), {range}. The mean and variance are taken over "
           "these; with 1 example the variance is 0.");
  t->Add("gamma",
         "The scale γ (gamma), any number: y = γ × (normalized x) + β. It stretches "
         "the normalized values; 1 leaves them as they are.");
  t->Add("beta",
         "The shift β (beta), any number, added after the scale. It moves every output of "
         "this feature by the same amount; 0 leaves them centred on 0.");
  t->Range("eps", 0, L::kMaxEps,
           "ε (epsilon), a small number added to the variance inside the square root, "
           "{range}. It keeps the division safe when the variance is 0; a larger ε pulls "
           "the normalized values towards 0.");
  t->Add("mode",
         "Training normalizes with this batch's own mean and variance. Inference uses the "
         "running statistics instead, so one example's output does not depend on the others.");
  t->Range("momentum", 0, 1,
           "How far one training step moves the running statistics towards this batch's, "
           "{range}: new = (1 − momentum) × old + momentum × batch. 0 never moves "
           "them; 1 replaces them.");
  t->Add("running-mean",
         "The running mean used at inference, any number. Apply one training step updates it "
         "from the batch.");
  t->Add("running-var",
         "The running variance used at inference, 0 or more. Apply one training step updates "
         "it from the batch.");
  t->Add("apply-step",
         "Replace the running statistics by their values after this batch (one training step "
         "with the momentum above).");
  t->Add("x-grid",
         "The batch: one row per feature, one column per example. Click a cell to type a "
         "value; every step of the arithmetic follows.");
  t->Add("xhat-grid",
         "The normalized values: (x − mean) / √(variance + ε). Each feature's "
         "row now has mean 0 and variance close to 1.");
  t->Add("y-grid",
         "The layer's output: each normalized value times γ plus β, for its "
         "feature.");
}

void AddDropout(Table* t) {
  using L = DropoutLabLimits;
  t->Lab("dropout");
  t->Range("units", L::kMinUnits, L::kMaxUnits,
           "How many activations the dropout layer gets, {range}. Each gets its own coin flip "
           "in the mask.");
  t->Range("keep", 0.01, 1,
           "The chance that a unit is kept, {range}. Lower p drops more units; p = 1 keeps them "
           "all (no dropout).");
  t->Add("kind",
         "Standard dropout keeps training outputs as they are and multiplies by p at test "
         "time. Inverted dropout divides the kept units by p while training, so test time "
         "uses the activations unchanged. Both give the same average.");
  t->Range("seed", 0, L::kMaxSeed,
           "The random seed of the mask, {range}. The same seed always gives the same mask, so "
           "a link reproduces it.");
  t->Add("new-mask", "Draw another random mask (the next seed).");
  t->Range("samples", L::kMinSamples, L::kMaxSamples,
           "How many random masks the running mean averages over, {range}. More masks bring "
           "the mean of the training output closer to the test-time output.");
  t->Add("unit",
         "Which unit's running mean is plotted, from 1 to the number of units. Its curve "
         "settles on the test-time value as masks are added.");
  t->Add("a-grid",
         "The activations a that enter dropout. Click a cell to type a value; the mask and "
         "both outputs follow.");
  t->Add("mask-grid",
         "The random mask: 1 keeps a unit, 0 drops it. Each unit is kept with probability p; "
         "the seed fixes which.");
  t->Add("train-grid",
         "The output while training: dropped units are 0; with inverted dropout the kept "
         "ones are divided by p.");
  t->Add("test-grid",
         "The output at test time, with no units dropped (standard dropout multiplies by p "
         "here instead).");
}

void AddFlow(Table* t) {
  using L = FlowLabLimits;
  t->Lab("flow");
  t->Add("activation",
         "The function g applied after every layer of this chain. Sigmoid's slope is at most "
         "0.25, so the gradient shrinks layer after layer; tanh and ReLU keep more of it.");
  t->Range("layers", L::kMinDepth, L::kMaxDepth,
           "How many layers deep the chain is, {range}. Each extra layer multiplies the "
           "gradient by one more factor on its way back.");
  t->Range("width", L::kMinWidth, L::kMaxWidth,
           "Units per layer, {range}. Wider layers add up more terms in each sum, which "
           "changes how large the gradients grow or shrink.");
  t->Add("init",
         "How the weights are set: all the same constant w, uniform between −w and w, "
         "Xavier (suited to sigmoid and tanh) or He (suited to ReLU). Good scaling keeps the "
         "gradient the same size through the layers.");
  t->Range("w", -L::kMaxWeight, L::kMaxWeight,
           "The weight w for the constant or uniform start, {range}. Too small and the "
           "gradient vanishes; too large and it explodes.");
  t->Range("weight-seed", 0, L::kMaxSeed,
           "The random seed of the weights, {range}. The same seed always gives the same "
           "weights.");
  t->Add("residual",
         "Add each layer's input to its output (a residual block). The gradient then has a "
         "direct path back through every layer, so it no longer vanishes.");
  t->Range("input-seed", 0, L::kMaxSeed,
           "The random seed of the input x, {range}. Changes the input both chains get.");
  t->Range("layer-shown", 1, L::kMaxDepth,
           "Which layer's numbers the table shows, {range} (at most the chain's depth).");
  t->Add("curve",
         "Which activation's curve g(z) and slope g′(z) are plotted. The slope is the "
         "factor each layer multiplies the gradient by.");
}

void AddCost(Table* t) {
  using L = CostLabLimits;
  t->Lab("cost");
  t->Range("h", 1, L::kMaxSide, "Height H of the input, in pixels, {range}.");
  t->Range("w", 1, L::kMaxSide, "Width W of the input, in pixels, {range}.");
  t->Range("c", 1, L::kMaxChannels,
           "Channels C of the input, {range}. Every filter has one k×k slice per input "
           "channel, so parameters grow with C.");
  t->Add("mode",
         "Single conv: one convolution. 1×1 then conv: a cheap 1×1 convolution first "
         "reduces the channels (a bottleneck). Inception: several branches side by side, "
         "their outputs stacked.");
  t->Range("r", 1, L::kMaxChannels,
           "Channels the 1×1 convolution reduces to, {range}. Fewer channels make the "
           "big convolution after it much cheaper.");
  t->Range("k", 1, L::kMaxKernel,
           "The filter's side k (k×k), {range}. Cost grows with k²: a 5×5 filter "
           "costs about 2.8 times a 3×3 one.");
  t->Range("n", 1, L::kMaxChannels,
           "How many filters, {range}: the output's channels. Parameters and multiplications "
           "grow in proportion.");
  t->Range("stride", 1, L::kMaxStride,
           "How far the filter moves between outputs, {range}. Stride 2 makes the output a "
           "quarter of the size, and so a quarter of the multiplications.");
  t->Add("padding",
         "Same: zeros around the input keep the output as large as the input (with stride "
         "1). Valid: no padding, the output shrinks by k − 1.");
  t->Add("use1", "Include the Inception branch of 1×1 filters.");
  t->Range("n1", 1, L::kMaxChannels, "Filters in the 1×1 branch, {range}.");
  t->Add("use3", "Include the 3×3 branch (optionally after a 1×1 reduction).");
  t->Range("r3", 0, L::kMaxChannels,
           "Channels the 1×1 reduction before the 3×3 filters leaves, {range}; 0 "
           "means no reduction.");
  t->Range("n3", 1, L::kMaxChannels, "Filters in the 3×3 branch, {range}.");
  t->Add("use5", "Include the 5×5 branch (optionally after a 1×1 reduction).");
  t->Range("r5", 0, L::kMaxChannels,
           "Channels the 1×1 reduction before the 5×5 filters leaves, {range}; 0 "
           "means no reduction.");
  t->Range("n5", 1, L::kMaxChannels, "Filters in the 5×5 branch, {range}.");
  t->Add("usep", "Include the branch of 3×3 max pooling followed by 1×1 filters.");
  t->Range("np", 1, L::kMaxChannels, "1×1 filters after the pooling, {range}.");
  t->Add("bias", "Count one bias per filter among the parameters (multiplications stay the same).");
}

void AddMlp(Table* t) {
  using L = MlpLabLimits;
  t->Lab("mlp");
  t->Add("preset",
         "Open this course exercise: its network, weights and input. Back (in the browser) "
         "returns to what you had.");
  t->Range("input-size", L::kMinUnits, L::kMaxUnits,
           "How many numbers the input x has, {range}. The first layer gets one weight per "
           "input for each of its units.");
  t->Range("units", L::kMinUnits, L::kMaxUnits,
           "Neurons in this layer, {range}. Each computes z = W a + b from the layer before; "
           "the last layer's units are the classes.");
  t->Add("activation",
         "The function applied to this layer's z: ReLU zeroes negatives, sigmoid and tanh "
         "squash into a range, softmax (last layer) turns z into probabilities.");
  t->Add("bias", "Give this layer a bias b, added to W a before the activation.");
  t->Add("fill-kind",
         "How fill W sets this layer's weights: one constant, uniform random between lo and "
         "hi, Xavier or He (random, scaled to the layer's size).");
  t->Add("fill-constant", "The value fill W writes into every weight of this layer.");
  t->Add("fill-lo", "The smallest value a uniform fill may draw.");
  t->Add("fill-hi", "The largest value a uniform fill may draw.");
  t->Add("fill-seed",
         "The random seed for fill W, 0 or more. The same seed gives the same weights.");
  t->Add("fill-w", "Overwrite this layer's weights W with the fill chosen on the left.");
  t->Add("bias-fill", "The value fill b writes into every bias of this layer.");
  t->Add("fill-b", "Overwrite this layer's biases b with the value on the left.");
  t->Range("add-layer", L::kMinLayers, L::kMaxLayers,
           "Add a layer at the end of the network (layers: {range}).");
  t->Add("remove-layer", "Remove the network's last layer (at least one stays).");
  t->Add("mode",
         "Forward shows how the input flows to the output. Backward also shows every "
         "gradient of the loss, layer by layer, with the chain rule in numbers.");
  t->Add("target",
         "The correct class for the loss, from 1 to the last layer's units. Changing it "
         "changes the loss and every gradient.");
  t->Add("edit-grid",
         "Click a cell to type a value (Enter commits); every value after it in the network "
         "updates at once.");
  t->Add("value-grid",
         "Computed by the network from the values before it. Click a cell to follow it in the "
         "diagram.");
}

void AddTrain(Table* t) {
  using L = TrainLabLimits;
  t->Lab("train");
  t->Add("dataset",
         "The points to learn: two classes (circle, XOR, two Gaussians, spiral), 3 to 5 "
         "classes (blobs, spiral arms) or a regression (a value to predict at each point).");
  t->Range("classes", L::kMinClasses, L::kMaxClasses,
           "How many classes the blobs or spiral arms have, {range}. More classes are harder "
           "to separate.");
  t->Range("seed", 0, L::kMaxSeed,
           "The random seed of the points and of the starting weights, {range}. The same seed "
           "always gives the same run.");
  t->Range("noise", 0, L::kMaxNoise,
           "How far points scatter from their pattern, {range}. More noise blurs the classes "
           "together, so the test accuracy drops.");
  t->Range("split", L::kMinSplit, L::kMaxSplit,
           "The percentage of points used for training, {range}; the rest are test points, "
           "never trained on. Too few training points and the network overfits.");
  t->Add("restore", "Undo every point added or removed by hand: back to the generated data.");
  t->Add("features",
         "The inputs the network gets for each point (x, y, x², y², xy, sin x, sin y). "
         "A good feature can make a pattern easy: x² and y² make the circle a line.");
  t->Range("hidden-layers", 0, L::kMaxLayers,
           "Hidden layers between the inputs and the output, {range}. 0 is a linear model: "
           "it can only draw a straight boundary.");
  t->Add("all-activations",
         "The activation of every hidden layer at once: ReLU, tanh, sigmoid or linear. Each "
         "layer's own can be set on its row.");
  t->Range("layer-units", 1, L::kMaxUnits,
           "Neurons in this hidden layer, {range}. More neurons can bend the boundary more "
           "(and train more slowly).");
  t->Add("layer-activation", "This hidden layer's activation, overriding the one for all.");
  t->Add("loss",
         "What training minimises. Softmax cross-entropy: one output per class, turned into "
         "probabilities. Tanh + squared: one output in −1..1, as TensorFlow Playground "
         "does it.");
  t->Add("playground",
         "Set up training as TensorFlow Playground does: one tanh output, half squared error "
         "on ±1, U(−0.5, 0.5) weights and biases 0.1, plain SGD with learning rate "
         "0.03, batch 10.");
  t->Add("regularization",
         "A penalty on large weights, added to the loss. L1 pushes weights to exactly 0; L2 "
         "shrinks them all. Both make a smoother boundary that may generalise better.");
  t->Range("rate", 0, L::kMaxRegRate,
           "How strong the penalty is, {range}. Too strong and every weight is pushed to 0: "
           "the network stops learning.");
  t->Add("init",
         "The starting weights: Glorot (random, scaled to each layer's size) or "
         "U(−0.5, 0.5) with biases 0.1, as TensorFlow Playground starts.");
  t->Add("optimizer",
         "How each step changes the weights. SGD with momentum moves against the gradient, "
         "building up speed; Adam adapts the step for each weight.");
  t->Range("lr", 0.0001, 3,
           "How large a step each update takes, {range}. Too small: slow learning. Too "
           "large: the loss jumps around or blows up.");
  t->Range("momentum", 0, L::kMaxMomentum,
           "How much of the last step carries into the next, {range}. 0 is plain SGD; 0.9 "
           "rolls through small bumps faster.");
  t->Range("batch", 1, L::kMaxBatch,
           "Training points per step, {range}. Small batches give noisy steps; large ones "
           "give smoother but fewer steps per epoch.");
  t->Add("export-weights",
         "Make Export JSON save the trained weights too (the link only replays the steps).");
  t->Range("click-value", -1, 1, "The value a click on the plot adds at that point, {range}.");
  t->Add("click-class",
         "The class a click (or a drag, a point every 12 px) on the plot adds; right-click or "
         "Shift+click removes.");
  t->Add("csv",
         "Your own data: a CSV file (or pasted text) of x,y,label lines, or x,y,value on a "
         "regression dataset; x, y in [-6, 6], an optional header line, at most 200 points. "
         "They replace the points, split into training and test points by the seed and the "
         "train % as generated data is, and the link holds them. A bad line is named and "
         "nothing changes.");
  t->Add("weight",
         "The selected edge's weight. Type a value and press Enter (while paused); training "
         "continues from it.");
  t->Add("table-layer", "Which layer's weights the table shows, up to the output layer.");
  t->Add("weights-grid",
         "This layer's weights: a row per neuron, a column per input, the last column the "
         "bias. Click to type a weight (while paused).");
  t->Add("play",
         "Start or pause training, for as long as you like. The link follows the step count; "
         "past the replay cap it carries the weights and follows at Pause.");
  t->Add("step", "Take one training step (one batch), then stop.");
  t->Add("reset", "Go back to step 0: the seed's starting weights; typed weights are dropped.");
  t->Add("pace",
         "How fast training runs: one or ten epochs per frame (watch the boundary form, as in "
         "TensorFlow Playground) or as many steps as fit a frame.");
  t->Add("threads",
         "At the max speed training runs in the background, on as many threads as the cores "
         "the browser reports (at most 8) when the page is cross-origin isolated, one "
         "otherwise. The weights are the same bits either way.");
}

void AddCnn(Table* t) {
  using L = CnnLabLimits;
  t->Lab("cnn");
  t->Add("dataset",
         "The images to learn, drawn from the seed: bars in 4 orientations, 4 outline shapes, "
         "or the digits 0 to 9 as strokes. Or Fashion-MNIST: 8,000 real 28×28 photographs of "
         "clothes in 10 classes (2,000 more to test), fetched when you pick it.");
  t->Add("size", "The images' side in pixels. 24×24 shows more detail and trains more slowly.");
  t->Range("noise", 0, L::kMaxNoise,
           "Random speckle added to every image, {range}. More noise makes the classes harder "
           "to tell apart.");
  t->Range("seed", 0, L::kMaxSeed,
           "The random seed of the images and the starting weights, {range}. The same seed "
           "gives the same run.");
  t->Add("blocks",
         "How many conv → ReLU → max-pool blocks come before the dense layer. Two "
         "blocks see larger patterns, built from the first block's.");
  t->Add("kernel",
         "The side of every convolution filter. 5×5 filters see a larger patch of the "
         "image than 3×3 ones, with more weights.");
  t->Range("f1", L::kMinFilters, L::kMaxFilters,
           "Filters in the first conv block, {range}: each learns one pattern (an edge, a "
           "corner) and makes one feature map.");
  t->Range("f2", L::kMinFilters, L::kMaxFilters,
           "Filters in the second conv block, {range}. They combine the first block's maps "
           "into larger patterns.");
  t->Add("optimizer",
         "How each step changes the weights. SGD with momentum moves against the gradient, "
         "building up speed; Adam adapts the step for each weight.");
  t->Range("lr", 0.0001, L::kMaxLr,
           "How large a step each update takes, {range}. Too small: slow learning. Too "
           "large: the loss jumps around or blows up.");
  t->Range("momentum", 0, L::kMaxMomentum,
           "How much of the last step carries into the next, {range}. 0 is plain SGD.");
  t->Range("batch", 1, L::kMaxBatch,
           "Images per training step, {range}. Small batches give noisy steps; large ones "
           "smoother but slower steps.");
  t->Range("decay", 0, L::kMaxDecay,
           "Weight decay, {range}: each step also shrinks every weight (not the biases) a "
           "little. It keeps weights small, and often makes the filters smoother.");
  t->Add("drawing-grid",
         "Draw an image here (drag to paint). The network's prediction and every feature map "
         "follow your drawing.");
  t->Add("ink", "What dragging paints: ink (1) or erase (0).");
  t->Add("clear", "Erase the whole drawing.");
  t->Add("example", "Pick one of the test images (never trained on) to load into the drawing.");
  t->Add("load",
         "Copy the chosen test image into the drawing, to see what the network makes of it.");
  t->Add("threads",
         "How many threads share each training step: as many as the cores the browser "
         "reports (at most 8) when the page is cross-origin isolated, one otherwise. The "
         "weights are the same bits either way, so a link opens the same network anywhere.");
  t->Add("play",
         "Start or pause training, for as long as you like. The link follows the step count; "
         "past the replay cap it carries the weights and follows at Pause.");
  t->Add("step", "Take one training step (one batch), then stop.");
  t->Add("reset", "Go back to step 0: the seed's starting weights.");
}

std::vector<ControlHelpEntry> Build() {
  std::vector<ControlHelpEntry> entries;
  Table t(&entries);
  AddApp(&t);
  AddCheck(&t);
  AddConv(&t);
  AddSoftmax(&t);
  AddBatchNorm(&t);
  AddDropout(&t);
  AddFlow(&t);
  AddCost(&t);
  AddMlp(&t);
  AddTrain(&t);
  AddCnn(&t);
  return entries;
}

}  // namespace

std::string HelpRangeText(double lo, double hi) {
  // Whole numbers exactly (a seed's 2,147,483,647), others as a learner reads them.
  auto num = [](double v) {
    return v == std::floor(v) && std::fabs(v) < 1e15 ? Count(static_cast<long long>(v)) : Num(v);
  };
  return "from " + num(lo) + " to " + num(hi);
}

const std::vector<ControlHelpEntry>& ControlHelpTable() {
  static const std::vector<ControlHelpEntry> table = Build();
  return table;
}

const char* ControlHelp(std::string_view lab, std::string_view control) {
  for (const ControlHelpEntry& e : ControlHelpTable())
    if (e.lab == lab && e.control == control) return e.text.c_str();
  return nullptr;
}

}  // namespace nnplay

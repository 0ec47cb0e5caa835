// guide.cpp: see guide.h. Written for a student in the first weeks of an introductory
// deep-learning course: plain words, the control to touch, what to look for.
#include "labs/guide.h"

#include <utility>

namespace nnplay {

const std::vector<LabGuide>& AllGuides() {
  static const std::vector<LabGuide> guides = {
      {"conv",
       "Convolution",
       "Slide a small filter over an image and see each output number as a sum of products.",
       "A convolution slides a small grid of weights (the filter) over an image. At each "
       "position it multiplies every weight by the pixel under it and adds the products up; "
       "these sums make the output map. Red means positive, blue negative, grey zero, so a "
       "strong response in either direction stands out.",
       {{"Hover over (or tap) an output cell: the patch of input it came from is outlined, "
         "and its sum is written out below the maps.",
         "e9-vertical-edge"},
        {"Click an input cell, type 0 and press Enter. Which output cells change, and why "
         "only those?",
         ""},
        {"Under Padding choose same: the output grows back to the input's size. Then raise "
         "stride to 2 and read the output size formula.",
         ""},
        {"Swap in the horizontal-edge filter: the vertical edge of the image no longer shows "
         "in the output.",
         "filter-horizontal-edge"}}},
      {"softmax",
       "Softmax",
       "Turn a list of scores into probabilities, with every exponential and the sum shown.",
       "Softmax turns a list of scores (logits) into probabilities: raise e to the power of "
       "each score, then divide each result by their sum. The probabilities are positive and "
       "add up to 1, and the largest score always gets the largest share.",
       {{"Click the first logit, type 5 and press Enter: its bar grows, the others shrink, "
         "and together they still make 1.",
         ""},
        {"Drag temperature T below 1 (the winner takes almost everything), then above 1 (the "
         "probabilities even out).",
         ""},
        {"Open a single logit: softmax of one number is always 1, whatever the number.",
         "e1-single-logit"},
        {"Open large logits [1000, 1001, 1002]: e to the 1000 is too big for the computer, "
         "but the stable form (subtract the largest score first) still gives the answer.",
         "large-logits"}}},
      {"batchnorm",
       "Batch normalization",
       "Normalize a batch step by step: mean, variance, standard deviation, scale and shift.",
       "Batch normalization rescales a batch of values: subtract the batch's mean, divide by "
       "its standard deviation, then multiply by \u03b3 (gamma) and add \u03b2 (beta). Every step "
       "is written "
       "out with its numbers, the way you would do it on paper.",
       {{"Click a value of the batch x and type a new one: the mean and the variance change, "
         "and so does every normalized value.",
         ""},
        {"Set \u03b3 to 1 and \u03b2 to 0: the outputs y now have mean 0 and variance 1.", ""},
        {"Switch from training to inference: the lab uses the running statistics instead of "
         "this batch's own. Press Apply one training step and compare.",
         ""},
        {"Open the student's answers: check my work points at the first step that went "
         "wrong.",
         "e6-student"}}},
      {"dropout",
       "Dropout",
       "Switch units off at random and watch the average over many masks match the test-time "
       "output.",
       "Dropout switches units off at random while a network trains: each unit is kept with "
       "probability p (keep p) and set to 0 otherwise. Scaling keeps the average output the "
       "same in training and at test time: inverted dropout divides the kept values by p "
       "while training, standard dropout multiplies by p at test time.",
       {{"Press New mask a few times: different units are dropped each time, about one in "
         "five when keep p is 0.8.",
         ""},
        {"Drag keep p down to 0.5: with inverted dropout every kept value doubles.", ""},
        {"Raise masks N to 10000: the average of the training outputs settles on the "
         "test-time output.",
         "e8-many-masks"},
        {"Switch between standard and inverted: where does the scaling by p happen now?", ""}}},
      {"mlp",
       "Neuron & MLP",
       "Compute a small network's forward pass layer by layer, and every gradient on the way "
       "back.",
       "A small neural network (a multilayer perceptron). Each unit multiplies its inputs by "
       "weights, adds them up and passes the sum through an activation such as ReLU, which "
       "turns negative sums into 0. The diagram shows every value, and the lab writes out the "
       "arithmetic of each layer.",
       {{"Click a unit in the diagram: the lab shows how its value comes from the layer "
         "before it.",
         ""},
        {"Type a different weight into one of the weight grids: every value after it updates "
         "at once.",
         ""},
        {"Open E2: the weights of each layer are all equal, so all units of a layer compute "
         "the same thing and the output is stuck at [0.5, 0.5].",
         "e2"},
        {"Choose backward (gradients) to see how much the loss changes with each weight, "
         "worked out with the chain rule.",
         "e4-backward"}}},
      {"flow",
       "Gradient flow",
       "See gradients vanish through deep sigmoid layers, and residual connections keep them "
       "alive.",
       "When a deep network learns, the gradient travels back from the output through every "
       "layer and is multiplied by each layer's slope on the way. The plot shows how large "
       "it still is at each layer for two networks, A and B, side by side: through many "
       "sigmoid layers it shrinks towards zero (vanishing gradients).",
       {{"Read the plot from the output (right) back to layer 1: A has skip connections "
         "(residual), B has none. Which line falls, and by how many powers of ten?",
         ""},
        {"Tick residual for configuration B: its line goes flat too, because each skip "
         "connection adds 1 to a layer's slope.",
         ""},
        {"Open ReLU vs sigmoid: with ReLU the gradient reaches layer 1 even without skips.",
         "e7-relu-20"},
        {"Raise B's layers to 50: how small does the gradient of the plain sigmoid network "
         "get?",
         ""}}},
      {"cost",
       "Cost calculator",
       "Count the parameters and multiplications of convolutions, 1×1 bottlenecks and "
       "Inception modules.",
       "How expensive is a layer? For a convolution, a 1×1 bottleneck or an Inception module "
       "the lab counts the parameters (the weights to learn) and the multiplications one "
       "forward pass needs, with the arithmetic of every step.",
       {{"Compare the 1×1 convolution with a fully connected layer between the same shapes: "
         "how many times more multiplications does the fully connected layer need?",
         "e10-1x1-vs-fc"},
        {"Open E12's 5×5 convolution, then choose 1x1 then conv and reduce to 16 channels: "
         "the cost drops about ten times.",
         "e12-5x5"},
        {"Open the Inception module and untick one branch: watch the total fall.",
         "e13a-inception"}}},
      {"train",
       "Training",
       "Train a small network live on 2-D points and watch the decision boundary take shape.",
       "A neural network learns to tell coloured points on a plane apart. Each training step "
       "nudges every weight a little to lower the loss; the background colour shows what the "
       "network currently predicts at each spot, so you can watch the boundary form.",
       {{"Press Play: the background colours shift until they match the points, and the loss "
         "curve falls.",
         ""},
        {"Open XOR: with the product xy as an input feature, a small network solves it in a "
         "few steps.",
         "xor"},
        {"Open Spiral and press Play: it needs many layers. Lower hidden layers, press Reset "
         "and Play again: can it still learn the spiral?",
         "spiral"},
        {"Set the learning rate to 3: the loss jumps around instead of falling smoothly.", ""}}},
      {"cnn",
       "CNN training",
       "Train a small convolutional network on drawn images or Fashion-MNIST photographs; "
       "watch its filters turn into edge detectors.",
       "A small convolutional network (CNN) learns to recognise pictures: bars, shapes or "
       "digits the engine draws, or real photographs of clothing (Fashion-MNIST). Its "
       "first-layer filters start as random noise and turn into detectors of edges and "
       "strokes as it trains; every feature map is shown.",
       {{"Press Play: the test accuracy climbs well above chance and the loss falls. On "
         "Fashion-MNIST (photographs of clothing) it passes 85 % in under a minute.",
         ""},
        {"Watch the first layer's filters: after a few hundred steps they look like stripes "
         "at different angles.",
         ""},
        {"Draw on the image (ink, or erase) and see the prediction and the feature maps "
         "change.",
         ""},
        {"Open Edges: with weight decay every filter becomes a clean stripe.", "edges"}}},
  };
  return guides;
}

const LabGuide& GuideFor(std::string_view lab) {
  static const LabGuide none;
  for (const LabGuide& g : AllGuides())
    if (g.lab == lab) return g;
  return none;
}

const GuideWords& Words() {
  static const GuideWords words = {
      "What this shows, and what to try",
      "What this shows",
      "Try this",
      "Show me",
      "Try this: ",
      "nnplay",
      "A deep-learning playground: change any number and every result, and the arithmetic "
      "behind it, updates at once. Everything runs in your browser.",
      "Labs",
      "Each lab opens with what it shows and a few things to try.",
      "Course exercises",
      "The exercises of an introductory deep-learning course, E1 to E13. Each opens its lab "
      "with the exercise's numbers, so you can check your own working step by step.",
      "Every preset",
      "Back to the ",
      " lab",
  };
  return words;
}

const ThumbWords& ThumbFor(std::string_view lab) {
  static const std::vector<std::pair<std::string, ThumbWords>> thumbs = {
      {"conv", {"", {"input", "filter", "output"}}},
      {"softmax", {"logits [2, 1, 0.1] become probabilities", {"p"}}},
      {"batchnorm",
       {"x: a batch of five values; y: normalized, times \u03b3, plus \u03b2", {"x", "y"}}},
      {"dropout", {"activations, a random mask, the training output", {"a", "mask", "train"}}},
      {"mlp", {"the E4 network", {"output"}}},
      {"flow", {"gradient size at each layer, input to output", {"A", "B"}}},
      {"cost", {"E10: multiplications", {"1\u00d71 convolution", "fully connected"}}},
      {"train", {"the decision boundary after a short training run", {}}},
      {"cnn", {"pictures it learns to tell apart", {}}},
  };
  static const ThumbWords none;
  for (const auto& [id, words] : thumbs)
    if (id == lab) return words;
  return none;
}

const std::vector<CourseExercise>& CourseExercises() {
  static const std::vector<CourseExercise> exercises = {
      {1, "One neuron", "mlp", "e1"},
      {2, "A 4-3-2-2 network that collapses to [0.5, 0.5]", "mlp", "e2"},
      {3, "Softmax of the last fully connected layer", "softmax", "e3-last-fc"},
      {4, "A 2-2-3-2 MLP forward pass", "mlp", "e4"},
      {5, "Counting parameters", "mlp", "e5"},
      {6, "Batch normalization", "batchnorm", "e6"},
      {7, "Vanishing gradients with sigmoid", "flow", "e7-sigmoid-20"},
      {8, "Dropout and the keep probability p", "dropout", "e8-inverted"},
      {9, "Vertical edge detection", "conv", "e9-vertical-edge"},
      {10, "Weight sharing: a convolution versus a fully connected layer", "cost", "e10-1x1-vs-fc"},
      {11, "Residual blocks and skip connections", "flow", "e11-residual-20"},
      {12, "The cost of 1×1 bottlenecks", "cost", "e12-bottleneck"},
      {13, "An Inception module", "cost", "e13a-inception"},
  };
  return exercises;
}

const PresetInfo* FindPreset(std::string_view lab, std::string_view id) {
  static const std::vector<PresetInfo> presets = AllPresets();
  for (const PresetInfo& p : presets)
    if (p.lab == lab && p.id == id) return &p;
  return nullptr;
}

std::string PresetLink(std::string_view lab, std::string_view id) {
  const PresetInfo* p = FindPreset(lab, id);
  return p ? p->link : "";
}

}  // namespace nnplay

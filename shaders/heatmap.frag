#version 300 es
// Diverging colormap for Heatmap (web/heatmap.cpp): 0 is a neutral light grey, positive values
// go to red, negative ones to blue, symmetric around 0 and saturated at +-u_absmax. A negative
// response must never look like "nothing" (tools that clip it to black hide edge filters).
// Colours are ColorBrewer RdBu, which stays readable for the common colour-vision deficiencies.

precision highp float;

uniform highp sampler2D u_values;  // R32F, NEAREST: one texel per cell
uniform float u_absmax;            // > 0, chosen by the caller

in vec2 v_uv;
out vec4 o_color;

const vec3 kNeutral = vec3(0.969, 0.969, 0.969);  // #f7f7f7
const vec3 kPosMid = vec3(0.957, 0.647, 0.510);   // #f4a582
const vec3 kPosEnd = vec3(0.698, 0.094, 0.169);   // #b2182b
const vec3 kNegMid = vec3(0.573, 0.773, 0.871);   // #92c5de
const vec3 kNegEnd = vec3(0.129, 0.400, 0.675);   // #2166ac
const vec3 kNaN = vec3(1.0, 0.0, 1.0);            // impossible to mistake for a value

void main() {
  float v = texture(u_values, v_uv).r;
  if (isnan(v)) {
    o_color = vec4(kNaN, 1.0);
    return;
  }
  float t = clamp(v / u_absmax, -1.0, 1.0);  // +-inf saturate
  float a = abs(t);
  vec3 mid = t >= 0.0 ? kPosMid : kNegMid;
  vec3 end = t >= 0.0 ? kPosEnd : kNegEnd;
  vec3 c = a < 0.5 ? mix(kNeutral, mid, a * 2.0) : mix(mid, end, a * 2.0 - 1.0);
  o_color = vec4(c, 1.0);
}

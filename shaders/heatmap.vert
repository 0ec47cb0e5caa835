#version 300 es
// Full-target quad for Heatmap (web/heatmap.cpp): one oversized triangle from gl_VertexID, so
// the pass needs no vertex buffer. v_uv is (0,0) at the first value of row 0.

out vec2 v_uv;

void main() {
  vec2 pos = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));  // (0,0) (2,0) (0,2)
  v_uv = pos;
  gl_Position = vec4(pos * 2.0 - 1.0, 0.0, 1.0);
}

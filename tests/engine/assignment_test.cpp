// The course as an assignment (labs/assignment.h): exercises in order with their asked
// steps, the seed's hand-written answers (exercises.md) through the assignment, hints one
// level at a time, progress, the assignment link and its errors, and variants checked
// against their own numbers. Expected values come from exercises.md or hand arithmetic in
// this file, never from the lab code.
#include "labs/assignment.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "labs/mlp_lab.h"
#include "labs/softmax_lab.h"
#include "ops/rng.h"

namespace nnplay {
namespace {

ExerciseSetup MakeSetup(int number, uint32_t seed = 0) {
  ExerciseSetup s;
  std::string why;
  EXPECT_TRUE(MakeExercise(number, seed, &s, &why)) << why;
  return s;
}

ExerciseReport Grade(int number, const std::string& entries, uint32_t seed = 0) {
  const ExerciseSetup s = MakeSetup(number, seed);
  CheckEntries e;
  std::string why;
  EXPECT_TRUE(DecodeCheckEntries(entries, s.steps, &e, &why)) << why;
  return GradeExercise(s, e);
}

int StepIndex(const ExerciseSetup& s, const std::string& id) {
  for (size_t i = 0; i < s.steps.size(); ++i)
    if (s.steps[i].id == id) return static_cast<int>(i);
  return -1;
}

TEST(Assignment, ThirteenExercisesInCourseOrderEachWithItsAskedSteps) {
  const auto& all = AssignmentExercises();
  ASSERT_EQ(all.size(), 13u);
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].number, static_cast<int>(i + 1));
    EXPECT_GT(all[i].question.size(), 40u) << "E" << i + 1;
    const ExerciseSetup s = MakeSetup(all[i].number);
    ASSERT_EQ(s.steps.size(), all[i].asked.size()) << "E" << i + 1;
    for (size_t k = 0; k < s.steps.size(); ++k) EXPECT_EQ(s.steps[k].id, all[i].asked[k]);
    EXPECT_FALSE(s.data.empty());
    EXPECT_EQ(s.lab_link.rfind("v1/" + all[i].lab + "?", 0), 0u) << s.lab_link;
  }
  std::string why;
  ExerciseSetup s;
  EXPECT_FALSE(MakeExercise(14, 0, &s, &why));
  EXPECT_NE(why.find("E1 to E13"), std::string::npos);
}

TEST(Assignment, SeedAnswersE1) {
  // z = 0.0002 - 0.013 - 0.01 - 0.012 = -0.0348 (right); softmax of one logit is 1, not 0.
  const ExerciseReport r = Grade(1, "z1:-0.0348;p:0");
  EXPECT_EQ(r.verdicts[0][0], Verdict::kRight);
  EXPECT_EQ(r.verdicts[1][0], Verdict::kWrong);
  EXPECT_EQ(r.root_step, 1);
  EXPECT_NE(r.explanation.find("the right value is 1"), std::string::npos) << r.explanation;
}

TEST(Assignment, SeedAnswersE3) {
  // Sum of e^x = 11.2125 (student 11.204, wrong); p = [0.6590, 0.2424, 0.0986]: 0.658 and
  // 0.2418 are wrong to the digits typed, 0.0986 is right.
  const ExerciseReport r = Grade(3, "sum:11.204;p:0.658,0.2418,0.0986");
  EXPECT_EQ(r.verdicts[1][0], Verdict::kWrong);
  EXPECT_EQ(r.verdicts[2][0], Verdict::kWrong);
  EXPECT_EQ(r.verdicts[2][1], Verdict::kWrong);
  EXPECT_EQ(r.verdicts[2][2], Verdict::kRight);
  EXPECT_EQ(r.root_step, 1);  // the sum: the seed's first slip
  EXPECT_EQ(r.verdicts[0][0], Verdict::kNotEntered);
}

TEST(Assignment, SeedAnswersE4RootCauseIsZ2Third) {
  const ExerciseSetup s = MakeSetup(4);
  const ExerciseReport r =
      Grade(4, "z1:0.15,-0.2;a1:0.15,0;z2:0.015,0.045,0.006;a2:0.015,0.045,0.005;z3:0.011,0.040");
  const int z2 = StepIndex(s, "z2"), a2 = StepIndex(s, "a2"), z1 = StepIndex(s, "z1");
  EXPECT_EQ(r.verdicts[static_cast<size_t>(z1)][0], Verdict::kRight);
  EXPECT_EQ(r.verdicts[static_cast<size_t>(z1)][1], Verdict::kRight);
  EXPECT_EQ(r.verdicts[static_cast<size_t>(z2)][0], Verdict::kRight);
  EXPECT_EQ(r.verdicts[static_cast<size_t>(z2)][2], Verdict::kWrong);
  EXPECT_EQ(r.verdicts[static_cast<size_t>(a2)][2], Verdict::kWrong);
  EXPECT_EQ(r.root_step, z2);
  EXPECT_EQ(r.root_value, 2);
  // 0.4 x 0.15 + (-0.1) x 0 = 0.06
  EXPECT_NE(r.explanation.find("0.06"), std::string::npos) << r.explanation;
}

// The issue's example: z2[3] = 0.006 is the slip (0.4 x 0.15 + (-0.1) x 0 = 0.06); a2[3] =
// 0.005 is wrong and not explained by it (relu(0.006) = 0.006); z3[1] = 0.011 is right for
// their a2 (0.1 x 0.015 + 0.2 x 0.045 + 0.1 x 0.005 = 0.011); z3[2] = 0.040 is wrong even for
// their a2 (0.4 x 0.015 + 0.7 x 0.045 + 0.3 x 0.005 = 0.039).
TEST(Assignment, E4ErrorCarriedForward) {
  const ExerciseSetup s = MakeSetup(4);
  const ExerciseReport r =
      Grade(4, "z1:0.15,-0.2;a1:0.15,0;z2:0.015,0.045,0.006;a2:0.015,0.045,0.005;z3:0.011,0.040");
  const auto z2 = static_cast<size_t>(StepIndex(s, "z2"));
  const auto a2 = static_cast<size_t>(StepIndex(s, "a2"));
  const auto z3 = static_cast<size_t>(StepIndex(s, "z3"));
  EXPECT_EQ(r.verdicts[z2][2], Verdict::kWrong);
  EXPECT_EQ(r.root_step, static_cast<int>(z2));
  EXPECT_EQ(r.verdicts[a2][2], Verdict::kWrong);
  EXPECT_EQ(r.verdicts[z3][0], Verdict::kCarried);
  EXPECT_EQ(r.verdicts[z3][1], Verdict::kWrong);
  EXPECT_EQ(r.carried, 1);
  EXPECT_EQ(r.wrong, 3);
  EXPECT_EQ(r.right, 8);
  EXPECT_FALSE(r.later.empty());
}

// "To the digits typed": sqrt(8) = 2.828427...: 2.82843 (rounded) and 2.82842 (truncated)
// are right, 2.82841 is not; a fraction is read as its value (1/0.8 = 5/4).
TEST(Assignment, RoundingTruncationAndFractions) {
  EXPECT_EQ(Grade(6, "sigma:2.82843").right, 1);
  EXPECT_EQ(Grade(6, "sigma:2.82842").right, 1);
  EXPECT_EQ(Grade(6, "sigma:2.82841").wrong, 1);
  const ExerciseSetup s8 = MakeSetup(8);
  ASSERT_EQ(s8.steps[0].values[0], 1.25);  // a1 = 1 kept by the lab's mask, over p = 0.8
  EXPECT_EQ(Grade(8, "train:5/4").right, 1);
  EXPECT_EQ(Grade(8, "train:4/3").wrong, 1);
  Assignment a = AssignmentDefault();
  LinkError error;
  ASSERT_TRUE(DecodeAssignmentLink("v1/course?ex=1-13&e8=train:5/4", &a, &error))
      << error.ToString();
  EXPECT_EQ(EncodeAssignment(a), "v1/course?ex=1-13&e8=train:5/4");
}

// E7, E8, E11: the root cause names the mistake (course_check_test has each one by hand).
// E8: a1 = 1 kept, over p = 0.8: 1.25; 1.00 is m a without the scaling. E11: A's layer 10,
// (dL/da_9)[1] = -0.09799 + 0.8988 = 0.8008; -0.09799 is the F path alone (no +x). E7:
// sigma(0) = 0.5 is the sigmoid's value, not its slope 0.25.
TEST(Assignment, RootCausesOfE7E8E11NameTheMistake) {
  ExerciseReport r = Grade(8, "train:1.00");
  EXPECT_EQ(r.wrong, 1);
  EXPECT_NE(r.explanation.find("without the inverted scaling"), std::string::npos) << r.explanation;
  r = Grade(11, "blk_a:0.8988,-0.09799,-0.09799");
  EXPECT_EQ(r.right, 2);
  EXPECT_EQ(r.root_value, 2);
  EXPECT_NE(r.explanation.find("the F path alone"), std::string::npos) << r.explanation;
  r = Grade(7, "dsig0:0.5");
  EXPECT_NE(r.explanation.find("the sigmoid's value"), std::string::npos) << r.explanation;
}

TEST(Assignment, SeedAnswersE5E6E9E10E12E13) {
  // E5: 12 + 4 + 8 + 2 = 26 parameters.
  EXPECT_EQ(Grade(5, "params:26").verdicts[0][0], Verdict::kRight);
  EXPECT_EQ(Grade(5, "params:24").verdicts[0][0], Verdict::kWrong);
  // E6: mu = 6 right; sigma = sqrt(8) = 2.8284, the student's 3.464 (sqrt 12) wrong; y =
  // [-3.8284, -2.4142, -1, 0.4142, 1.8284]: only the student's -1 is right.
  const ExerciseSetup s6 = MakeSetup(6);
  const ExerciseReport r6 = Grade(6, "mu:6;sigma:3.464;y:-3.308,-2.154,-1,0.154,1.308");
  EXPECT_EQ(r6.verdicts[0][0], Verdict::kRight);
  const auto sigma = static_cast<size_t>(StepIndex(s6, "sigma"));
  const auto y = static_cast<size_t>(StepIndex(s6, "y"));
  EXPECT_EQ(r6.verdicts[sigma][0], Verdict::kWrong);
  EXPECT_EQ(r6.root_step, static_cast<int>(sigma));
  EXPECT_EQ(r6.verdicts[y][0], Verdict::kWrong);
  EXPECT_EQ(r6.verdicts[y][2], Verdict::kRight);
  EXPECT_EQ(r6.verdicts[y][4], Verdict::kWrong);
  // Carried forward from sigma = 3.464: 2 x (4 - 6)/3.464 - 1 = -2.15473 and 2 x (8 - 6)/3.464
  // - 1 = 0.15473, so -2.154 and 0.154 follow from the slip (truncated); -3.308 does not
  // (-3.30947), nor 1.308 (1.30947).
  EXPECT_EQ(r6.verdicts[y][1], Verdict::kCarried);
  EXPECT_EQ(r6.verdicts[y][3], Verdict::kCarried);
  EXPECT_EQ(Grade(6, "var:8;sigma:2.8284;xhat:-1.4142,-0.7071,0,0.7071,1.4142").wrong, 0);
  // E9: every output row is [0, 30, 30, 0].
  EXPECT_EQ(Grade(9, "row1:0,30,30,0").right, 4);
  EXPECT_EQ(Grade(9, "row1:0,30,30,0").wrong, 0);
  EXPECT_EQ(Grade(9, "row1:0,30,0,0").wrong, 1);
  // E10: the student's 4.8e6, 3.78e9 and 784 are right (4,816,896; 3,776,446,464; 784),
  // and 192 x 32 + 32 = 6,176 parameters.
  const ExerciseReport r10 = Grade(10, "mults:4.8e6;params:6176;fc:3.78e9;ratio:784");
  EXPECT_EQ(r10.right, 4);
  EXPECT_EQ(r10.wrong, 0);
  // E12: 2,408,448 + 10,035,200 = 12,443,648.
  EXPECT_EQ(Grade(12, "red:2408448;conv:10035200;mults:12443648").right, 3);
  // E13: 226,492,416 + 157,286,400 = 383,778,816.
  const ExerciseReport r13 = Grade(13, "b3:226492416;b5:157286400;mults:383778816");
  EXPECT_EQ(r13.right, 3);
  EXPECT_EQ(r13.wrong, 0);
}

TEST(Assignment, ProgressNotStartedPartlyDone) {
  EXPECT_EQ(ExerciseProgress(Grade(9, "")), Progress::kNotStarted);
  EXPECT_EQ(ExerciseProgress(Grade(9, "row1:0,30")), Progress::kPartly);
  EXPECT_EQ(ExerciseProgress(Grade(9, "row1:0,30,30,1")), Progress::kPartly);
  EXPECT_EQ(ExerciseProgress(Grade(9, "row1:0,30,30,0")), Progress::kDone);
  EXPECT_STREQ(ProgressName(Progress::kPartly), "partly");
}

TEST(Assignment, HintsRevealFormulaThenNumbersThenValue) {
  const ExerciseSetup s = MakeSetup(4);
  const CheckStep& z2 = s.steps[static_cast<size_t>(StepIndex(s, "z2"))];
  EXPECT_TRUE(HintLines(z2, 0).empty());
  const auto one = HintLines(z2, 1), two = HintLines(z2, 2), three = HintLines(z2, 3);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_NE(one[0].find("W"), std::string::npos) << one[0];  // z2 = W2 a1
  ASSERT_EQ(two.size(), 4u);                                 // the rule and three units
  // The third unit: 0.4 x 0.15 + (-0.1) x 0, and the value not yet shown.
  EXPECT_NE(two[3].find("0.4"), std::string::npos) << two[3];
  EXPECT_NE(two[3].find("0.15"), std::string::npos) << two[3];
  for (const std::string& line : two) EXPECT_EQ(line.find("0.06"), std::string::npos) << line;
  ASSERT_EQ(three.size(), 5u);
  EXPECT_NE(three[4].find("0.015, 0.045, 0.06"), std::string::npos) << three[4];
}

TEST(Assignment, LinkRoundTripsAndIsCanonical) {
  Assignment a = AssignmentDefault();
  a.student = "Ann O'Neil-2";
  ExerciseWork* w = WorkFor(&a, 4);
  w->entries = {{"z1", {"0.15", "-0.2"}}, {"a2", {"0.015", "", ""}}};
  w->hints = {{"z2", 2}};
  WorkFor(&a, 1)->entries = {{"z1", {"-0.0348"}}};
  TidyAssignment(&a);
  const std::string link = EncodeAssignment(a);
  EXPECT_EQ(link,
            "v1/course?ex=1-13&name=Ann+O'Neil-2&e1=z1:-0.0348&e4=z1:0.15,-0.2;a2:0.015&h4=z2:2");
  Assignment back;
  LinkError error;
  ASSERT_TRUE(DecodeAssignmentLink("http://x/#" + link, &back, &error)) << error.ToString();
  EXPECT_EQ(back.student, "Ann O'Neil-2");
  EXPECT_EQ(EncodeAssignment(back), link);
  ASSERT_NE(FindWork(back, 4), nullptr);
  EXPECT_EQ(FindWork(back, 4)->hints.size(), 1u);
  // A subset of exercises, written as ranges.
  a.exercises = {1, 2, 3, 4, 6, 9};
  TidyAssignment(&a);
  EXPECT_EQ(EncodeAssignment(a).rfind("v1/course?ex=1-4,6,9&", 0), 0u) << EncodeAssignment(a);
}

TEST(Assignment, NoLinkEndsInPunctuationAutolinkersDrop) {
  Assignment a = AssignmentDefault();
  WorkFor(&a, 4)->entries = {{"a3", {"0.493", ""}}};
  a.student = CleanStudentName("  Lee.  ");
  EXPECT_EQ(a.student, "Lee");
  const std::string link = EncodeAssignment(a);
  EXPECT_EQ(link.back(), '3') << link;
  EXPECT_EQ(EncodeAssignment(AssignmentDefault()), "v1/course?ex=1-13");
}

// Names in any script: the link carries them as percent-encoded UTF-8 (each byte past ASCII
// as %XX, upper-case hex), spaces as '+'. "é" is U+00E9 = C3 A9, "ü" U+00FC = C3 BC, "李"
// U+674E = E6 9D 8E, "雷" U+96F7 = E9 9B B7 (the code charts; two and three bytes).
TEST(Assignment, UnicodeNamesRoundTripPercentEncoded) {
  const std::pair<const char*, const char*> names[] = {
      {"Jos\xC3\xA9 M\xC3\xBCller", "Jos%C3%A9+M%C3%BCller"},
      {"\xE6\x9D\x8E\xE9\x9B\xB7", "%E6%9D%8E%E9%9B%B7"},
      {"Zo\xC3\xAB O'Brien-\xC5\x81\xC3\xB3\x64\xC5\xBA", "Zo%C3%AB+O'Brien-%C5%81%C3%B3d%C5%BA"},
  };
  for (const auto& [name, encoded] : names) {
    Assignment a = AssignmentDefault();
    a.student = CleanStudentName(name);
    EXPECT_EQ(a.student, name);
    const std::string link = EncodeAssignment(a);
    EXPECT_EQ(link, std::string("v1/course?ex=1-13&name=") + encoded);
    Assignment back;
    LinkError error;
    ASSERT_TRUE(DecodeAssignmentLink("https://x/#" + link, &back, &error)) << error.ToString();
    EXPECT_EQ(back.student, name);
    EXPECT_EQ(EncodeAssignment(back), link);
  }
  // Other spellings of the same name open to it and are written in the canonical form:
  // lower-case hex, raw UTF-8 (a link pasted into a terminal), %20 for the space.
  for (const char* other : {"v1/course?ex=1-13&name=Jos%c3%a9+M%c3%bcller",
                            "v1/course?ex=1-13&name=Jos\xC3\xA9+M\xC3\xBCller",
                            "v1/course?ex=1-13&name=Jos%C3%A9%20M%C3%BCller"}) {
    Assignment a;
    LinkError error;
    ASSERT_TRUE(DecodeAssignmentLink(other, &a, &error)) << other << ": " << error.ToString();
    EXPECT_EQ(a.student,
              "Jos\xC3\xA9 M\xC3\xBC"
              "ller");
    EXPECT_EQ(EncodeAssignment(a), "v1/course?ex=1-13&name=Jos%C3%A9+M%C3%BCller");
  }
  // The JSON (nnplay eval) gives the name as UTF-8.
  Assignment a = AssignmentDefault();
  a.student = "\xE6\x9D\x8E\xE9\x9B\xB7";
  EXPECT_NE(AssignmentToJson(a).find("\"student\":\"\xE6\x9D\x8E\xE9\x9B\xB7\""),
            std::string::npos);
}

TEST(Assignment, NamesAreBoundedInCodePointsAndBytes) {
  // 40 code points: "é" x 40 is 80 bytes and opens; 41 do not.
  std::string e40;
  for (int i = 0; i < 40; ++i) e40 += "\xC3\xA9";
  Assignment a;
  LinkError error;
  ASSERT_TRUE(DecodeAssignmentLink("v1/course?ex=1-13&name=" + e40, &a, &error))
      << error.ToString();
  EXPECT_EQ(a.student.size(), 80u);
  EXPECT_FALSE(DecodeAssignmentLink("v1/course?ex=1-13&name=" + e40 + "\xC3\xA9", &a, &error));
  EXPECT_EQ(error.field, "name");
  EXPECT_NE(error.message.find("at most 40 characters (this one has 41)"), std::string::npos)
      << error.message;
  // 31 four-byte code points (U+1F600, F0 9F 98 80) are 124 bytes: past the 120-byte bound.
  std::string wide;
  for (int i = 0; i < 31; ++i) wide += "\xF0\x9F\x98\x80";
  EXPECT_FALSE(DecodeAssignmentLink("v1/course?ex=1-13&name=" + wide, &a, &error));
  EXPECT_EQ(error.field, "name");
  EXPECT_NE(error.message.find("at most 120 bytes of UTF-8 (this one has 124)"), std::string::npos)
      << error.message;
  // CleanStudentName cuts between code points: 45 "é" keep 40; 31 emoji keep 30 (120 bytes).
  EXPECT_EQ(CleanStudentName(e40 + "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"), e40);
  EXPECT_EQ(CleanStudentName(wide).size(), 120u);
  // 41 "李" are 123 bytes and 41 characters: cut to 40 (120 bytes), the lead byte of none torn.
  std::string li;
  for (int i = 0; i < 41; ++i) li += "\xE6\x9D\x8E";
  EXPECT_EQ(CleanStudentName(li), li.substr(0, 120));
}

TEST(Assignment, HostileNamesAreRefusedNamingTheField) {
  const std::pair<const char*, const char*> cases[] = {
      {"Jos%C3", "not valid UTF-8"},        // cut-off sequence
      {"Jos%A9", "not valid UTF-8"},        // stray continuation byte
      {"%C0%AF", "not valid UTF-8"},        // overlong '/'
      {"%E0%80%AF", "not valid UTF-8"},     // overlong, three bytes
      {"%ED%A0%80", "not valid UTF-8"},     // a UTF-16 surrogate (U+D800)
      {"%F4%90%80%80", "not valid UTF-8"},  // past U+10FFFF
      {"%FF", "not valid UTF-8"},           // never in UTF-8
      {"Ann%09Lee", "control character (U+0009)"},
      {"Ann%0ALee", "control character (U+000A)"},
      {"Ann%00", "control character (U+0000)"},
      {"Ann%C2%85Lee", "control character (U+0085)"},  // NEL, a C1 control
      {"Ann%7F", "control character (U+007F)"},
      {"Ann%E2%80%AELee", "U+202E"},  // right-to-left override
      {"Ann%E2%80%8BLee", "U+200B"},  // zero-width space
      {"%EF%BB%BFAnn", "U+FEFF"},     // byte-order mark
      {"Ann%C2%A0Lee", "space other than a plain one (U+00A0)"},
      {"Ann%3Cb%3E", "not '<'"},
      {"Ann++Lee", "single spaces"},
      {"Ann.", "begins and ends with a letter or digit"},
      {"+Ann", "begins and ends with a letter or digit"},
  };
  for (const auto& [name, why] : cases) {
    const std::string link = std::string("v1/course?ex=1-13&name=") + name + "&e1=z1:1";
    Assignment a;
    LinkError error;
    EXPECT_FALSE(DecodeAssignmentLink(link, &a, &error)) << link;
    EXPECT_EQ(error.field, "name") << link << ": " << error.ToString();
    EXPECT_NE(error.message.find(why), std::string::npos) << link << ": " << error.ToString();
    EXPECT_TRUE(a.exercises.empty());  // nothing half-decoded
  }
  // Bytes past ASCII anywhere but a text field keep the old refusal (the link as a whole).
  for (const char* link : {"v1/course?ex=1-13&e1=z1:%C3%A9", "v1/mlp?x=1:%C3%A9",
                           "v1/course%C3%A9?ex=1-13", "v1/course?ex=1-13&n%C3%A9me=Ann"}) {
    Assignment a;
    LinkError error;
    EXPECT_FALSE(DecodeAssignmentLink(link, &a, &error)) << link;
    EXPECT_NE(error.message.find("not plain ASCII"), std::string::npos)
        << link << ": " << error.ToString();
  }
  // What a typed name loses: broken bytes, controls, invisible characters; other spaces
  // become plain ones, leading and trailing punctuation goes.
  EXPECT_EQ(CleanStudentName("\xE2\x80\xAE Jos\xC3\xA9\t\xC2\xA0\xC3 M\xC3\xBCller\x7F. "),
            "Jos\xC3\xA9 M\xC3\xBCller");
  EXPECT_EQ(CleanStudentName("\xE3\x80\x80\xE6\x9D\x8E\xE3\x80\x80\xE9\x9B\xB7"),
            "\xE6\x9D\x8E \xE9\x9B\xB7");  // ideographic spaces
}

TEST(Assignment, BadLinksAreRefusedWithTheirField) {
  const std::pair<const char*, const char*> cases[] = {
      {"v1/course?ex=1-14", "ex"},
      {"v1/course?ex=3,2", "ex"},
      {"v1/course?ex=", "ex"},
      {"v1/course?ex=1-13&name=-Ann", "name"},
      {"v1/course?ex=1-13&name=Ann%3Cb%3E", "name"},
      {"v1/course?ex=1-13&seed=0", "seed"},
      {"v1/course?ex=1-13&seed=12x", "seed"},
      {"v1/course?ex=1-3&e4=z1:1", "e4"},
      {"v1/course?ex=1-13&e4=q9:1", "e4"},
      {"v1/course?ex=1-13&e4=z1:1,2,3", "e4"},
      {"v1/course?ex=1-13&e4=z1:nan", "e4"},
      {"v1/course?ex=1-13&h4=z2:4", "h4"},
      {"v1/course?ex=1-13&h4=z2:1,z2:2", "h4"},
      {"v1/course?ex=1-13&e14=z1:1", "e14"},
      {"v1/course?ex=1-13&ex=1", "ex"},
  };
  for (const auto& [link, field] : cases) {
    Assignment a;
    LinkError error;
    EXPECT_FALSE(DecodeAssignmentLink(link, &a, &error)) << link;
    EXPECT_EQ(error.field, field) << link << ": " << error.ToString();
    EXPECT_FALSE(error.message.empty());
  }
  Assignment a;
  LinkError error;
  EXPECT_FALSE(DecodeAssignmentLink("v1/mlp?x=1:1", &a, &error));
  EXPECT_EQ(error.field, "lab");
}

// A variant's numbers: one or two decimals, other than the course's, and the answers worked
// out here from the variant's own numbers are right for it and wrong for the original.
TEST(Assignment, VariantE4RoundTripsAndChecksAgainstItsOwnNumbers) {
  Assignment a = AssignmentDefault();
  a.seed = 4242;
  const uint32_t seed = ExerciseSeed(a.seed, 4);
  ASSERT_NE(seed, 0u);
  const ExerciseSetup v = MakeSetup(4, seed), original = MakeSetup(4);
  ASSERT_NE(v.lab_link, original.lab_link);
  Link link;
  LinkError error;
  ASSERT_TRUE(ParseLink(v.lab_link, &link, &error));
  MlpLabState st;
  ASSERT_TRUE(DecodeMlpLab(link, &st, &error)) << error.ToString();
  for (size_t i = 0; i < st.x.size(); ++i)
    EXPECT_NEAR(st.x[i] * 10, std::round(st.x[i] * 10), 1e-4) << "x has one decimal";
  // z1 = W1 x and a1 = relu(z1), by hand.
  std::string z1, a1;
  for (int u = 0; u < st.layers[0].units(); ++u) {
    double z = 0;
    for (int k = 0; k < st.layers[0].inputs(); ++k)
      z += static_cast<double>(st.layers[0].w.at(u, k)) * st.x[static_cast<size_t>(k)];
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", z);  // 1 decimal x 1 decimal: exact in 2
    z1 += (u ? "," : "") + std::string(buf);
    std::snprintf(buf, sizeof buf, "%.2f", z > 0 ? z : 0.0);
    a1 += (u ? "," : "") + std::string(buf);
  }
  WorkFor(&a, 4)->entries = {{"z1", {}}, {"a1", {}}};
  std::string why;
  ASSERT_TRUE(DecodeCheckEntries("z1:" + z1 + ";a1:" + a1, v.steps, &WorkFor(&a, 4)->entries, &why))
      << why;
  const std::string text = EncodeAssignment(a);
  EXPECT_NE(text.find("&seed=4242"), std::string::npos);
  Assignment back;
  ASSERT_TRUE(DecodeAssignmentLink(text, &back, &error)) << error.ToString();
  ASSERT_EQ(back, a);
  const ExerciseReport mine =
      GradeExercise(MakeSetup(4, ExerciseSeed(back.seed, 4)), FindWork(back, 4)->entries);
  EXPECT_EQ(mine.right, 4) << z1 << " " << a1;
  EXPECT_EQ(mine.wrong, 0);
  const ExerciseReport theirs = GradeExercise(original, FindWork(back, 4)->entries);
  EXPECT_GT(theirs.wrong, 0) << "the variant's answers are not the course's";
}

TEST(Assignment, VariantE3SoftmaxByHand) {
  const uint32_t seed = ExerciseSeed(99, 3);
  const ExerciseSetup v = MakeSetup(3, seed);
  Link link;
  LinkError error;
  ASSERT_TRUE(ParseLink(v.lab_link, &link, &error));
  SoftmaxLabState st;
  ASSERT_TRUE(DecodeSoftmaxLab(link, &st, &error));
  double sum = 0;
  for (size_t i = 0; i < st.logits.size(); ++i) sum += std::exp(static_cast<double>(st.logits[i]));
  char buf[64];
  std::snprintf(buf, sizeof buf, "sum:%.4f;p:%.4f", sum,
                std::exp(static_cast<double>(st.logits[0])) / sum);
  const ExerciseReport r = Grade(3, buf, seed);
  EXPECT_EQ(r.right, 2) << buf;
  EXPECT_EQ(r.wrong, 0);
  // Different seeds give different numbers; the same seed the same ones.
  EXPECT_NE(MakeSetup(3, ExerciseSeed(100, 3)).lab_link, v.lab_link);
  EXPECT_EQ(MakeSetup(3, seed).lab_link, v.lab_link);
  // Exercises without variants keep the course's numbers.
  EXPECT_EQ(MakeSetup(7, 12345).lab_link, MakeSetup(7).lab_link);
}

TEST(Assignment, EveryVariantOpensForManySeeds) {
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    for (const AssignmentExercise& e : AssignmentExercises()) {
      const ExerciseSetup s = MakeSetup(e.number, ExerciseSeed(seed, e.number));
      ASSERT_EQ(s.steps.size(), e.asked.size()) << "E" << e.number << " seed " << seed;
      for (const CheckStep& step : s.steps)
        for (double v : step.values) EXPECT_TRUE(std::isfinite(v)) << "E" << e.number;
    }
  }
}

TEST(Assignment, LabLinkCarriesTheEntriesOfTheLabsSteps) {
  const ExerciseSetup s = MakeSetup(4);
  const std::string link = ExerciseLabLink(s, {{"z1", {"0.15", "-0.2"}}});
  EXPECT_NE(link.find("&check=z1:0.15,-0.2"), std::string::npos) << link;
  // E9's row is the assignment's own step: the conv lab's link stays as it is.
  const ExerciseSetup s9 = MakeSetup(9);
  EXPECT_EQ(ExerciseLabLink(s9, {{"row1", {"0", "30", "30", "0"}}}), s9.lab_link);
}

// Mangled assignment links (bytes changed, dropped, duplicated, cut short): each is refused
// with a message or opens to a state whose canonical link opens to the same state again.
TEST(Assignment, MangledLinksAreRefusedOrCanonical) {
  const std::string base =
      "v1/course?ex=1-4,6,9-13&name=Ann+Lee&seed=42&e3=sum:11.2;p:1/2,_,0.1&e4=z1:0.15,-0.2;"
      "z2:0.015,0.045,0.006&h4=z2:2,a2:1&e9=row1:0,30,30,0&e13=mults:383778816";
  const std::string alphabet = "0123456789-_.,:;&=+/e1hxz_?v%";
  Pcg32 rng(7, 3);
  int opened = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string t = base;
    const int edits = 1 + static_cast<int>(rng.NextU32() % 4);
    for (int k = 0; k < edits && !t.empty(); ++k) {
      const size_t at = rng.NextU32() % t.size();
      switch (rng.NextU32() % 4) {
        case 0:
          t[at] = alphabet[rng.NextU32() % alphabet.size()];
          break;
        case 1:
          t.erase(at, 1 + rng.NextU32() % 6);
          break;
        case 2:
          t.insert(at, t.substr(at, 1 + rng.NextU32() % 12));
          break;
        default:
          t.resize(at);
      }
    }
    Assignment a;
    LinkError error;
    if (!DecodeAssignmentLink(t, &a, &error)) {
      EXPECT_FALSE(error.message.empty()) << t;
      continue;
    }
    ++opened;
    const std::string canonical = EncodeAssignment(a);
    Assignment b;
    ASSERT_TRUE(DecodeAssignmentLink(canonical, &b, &error)) << t << "\n" << error.ToString();
    EXPECT_EQ(EncodeAssignment(b), canonical) << t;
    EXPECT_EQ(AssignmentToJson(a), AssignmentToJson(b)) << t;
  }
  EXPECT_GT(opened, 100);
}

}  // namespace
}  // namespace nnplay

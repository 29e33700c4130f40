package io.rapidfire.ops.doctor;

/** One line of the doctor's report: what was checked, the verdict, the evidence, and what to do. */
public record Check(String name, Status status, String evidence, String fix) {
    public enum Status { PASS, WARN, FAIL }

    static Check pass(String name, String evidence) {
        return new Check(name, Status.PASS, evidence, "");
    }

    static Check warn(String name, String evidence, String fix) {
        return new Check(name, Status.WARN, evidence, fix);
    }

    static Check fail(String name, String evidence, String fix) {
        return new Check(name, Status.FAIL, evidence, fix);
    }
}

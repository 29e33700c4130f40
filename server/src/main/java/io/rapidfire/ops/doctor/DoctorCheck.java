package io.rapidfire.ops.doctor;

/**
 * One item of the doctor's checklist, in a file of its own. It reads what the doctor gathered once
 * ({@link Inspection}) and may ask Redis more; it returns one {@link Check} with the evidence and what to do.
 * An exception means "could not be checked" and is reported as such by the doctor, not as a crash.
 */
interface DoctorCheck {
    String name();

    Check run(Inspection in);
}

// Article: the leaked JobQueue, mutated through a pointer cast from a shared reference.
struct JobQueue {
    jobs: Vec<String>,
}

impl JobQueue {
    // Creates a new JobQueue
    fn new() -> Self {
        JobQueue {
            jobs: Vec::new(),
        }
    }

    // Adds a job to the JobQueue
    fn add_job(&mut self, job: String) {
        self.jobs.push(job);
    }

    // Displays all jobs in the queue
    fn display_jobs(&self) {
        for job in &self.jobs {
            println!("{}", job);
        }
    }
}

// Called once, from main: the leaked queue lives for the whole program.
fn initialize_job_queue() -> &'static JobQueue {
    let queue = Box::new(JobQueue::new());
    Box::leak(queue) //~ intentional-static box-leak
}

fn main() {
    let queue = initialize_job_queue();

    // Add some jobs to the queue
    unsafe {
        let queue_mut = queue as *const JobQueue as *mut JobQueue; //~ intentional-static shared-to-mut-cast
        (*queue_mut).add_job("Job 1".to_string());
        (*queue_mut).add_job("Job 2".to_string());
    }

    // Display the jobs
    queue.display_jobs();
}
